/// A bank account identifier checked for registration: an IBAN, a domestic account number of digits, or another
/// format the clerk declares.
///
/// Which scheme applies:
/// - ``Scheme/iban`` (ISO 13616): two letters for the country, two check digits, then the country's BBAN, all
///   letters A–Z and digits, at the length the IBAN registry gives the country (``ibanLengths``), and passing the
///   ISO 7064 mod 97-10 check. Spaces (the printed form `DE89 3704 0044 0532 0130 00`) and lower case are accepted
///   and normalised away.
/// - ``Scheme/domestic``: 6 to 34 ASCII digits (``domesticDigitCount``), as Chinese banks number accounts
///   (`6222021001123456789`); what the registry has always accepted.
/// - ``Scheme/other``: anything else a bank uses — a German `BLZ/account` (`37040044/0532013000`), numbers with
///   letters or hyphens: 1 to 34 letters A–Z and digits in groups joined by single `/`, `-` or space. Only when
///   declared, because nothing in it can be checked.
///
/// Without a declared scheme, an input starting with two letters is read as an IBAN and one of digits only as a
/// domestic number; anything else is refused with a sentence naming the scheme to declare. Every refusal is a
/// ``BankAccountNumberError`` whose sentence quotes at most a short, printable excerpt of the input, and inputs
/// over ``inputBytesMax`` bytes are refused before they are looked at.
///
/// Pure: no I/O, no Foundation; all checks are on ASCII bytes and small integers.
public struct BankAccountNumber: Hashable, Sendable, CustomStringConvertible {
    /// How an account number is written.
    public enum Scheme: String, Hashable, Sendable, CaseIterable {
        /// An International Bank Account Number (ISO 13616).
        case iban
        /// A domestic account number of 6–34 digits (Chinese banks).
        case domestic
        /// Another domestic format, declared by the clerk: letters, digits and single separators.
        case other
    }

    /// The scheme the number was checked under (the declared one, or the one detected).
    public let scheme: Scheme
    /// The number in its stored form: an IBAN in electronic format (upper case, no spaces), domestic digits as
    /// given, another format upper-cased with its separators as given.
    public let value: String

    /// Bytes of input looked at: the printed form of the longest IBAN (34 characters and 8 spaces) or a 34-character
    /// number with a separator between every character (67) fits with room for surrounding spaces.
    public static let inputBytesMax = 100
    /// Digits of a domestic account number.
    public static let domesticDigitCount: ClosedRange<Int> = 6...34
    /// Letters and digits of an account number of the other scheme (the IBAN's own maximum).
    public static let otherCharacterCountMax = 34

    /// The IBAN length of every country in the SWIFT IBAN registry (ISO 13616), by the country code the IBAN starts
    /// with: all SEPA countries and the other registry countries. Territories that use another country's IBAN
    /// (Åland, French overseas departments) are not listed: their IBANs start with `FI` or `FR`.
    public static let ibanLengths: [String: Int] = [
        "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
        "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
        "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
        "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
        "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
        "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28,
        "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
        "RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
        "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
    ]

    /// Checks `text` as an account number.
    /// - Parameter scheme: the scheme the clerk declared; `nil` detects IBAN (two letters first) or domestic
    ///   (digits only). ``Scheme/other`` is never detected: it must be declared.
    /// - Throws: ``BankAccountNumberError``, whose sentence says what is wrong and which scheme to use instead.
    public init(_ text: String, scheme: Scheme? = nil) throws(BankAccountNumberError) {
        func fail(_ code: BankAccountNumberError.Code) -> BankAccountNumberError {
            BankAccountNumberError(code, text: text, declaredScheme: scheme)
        }
        let byteCount = text.utf8.count
        guard byteCount <= Self.inputBytesMax else {
            throw fail(.tooLong(bytes: byteCount, bytesMax: Self.inputBytesMax))
        }
        if let control = text.unicodeScalars.first(where: Self.isControl) {
            throw fail(.controlCharacter(scalar: control.value))
        }
        let trimmed = Self.trimmingSpaces(Array(text.utf8))
        guard !trimmed.isEmpty else { throw fail(.empty) }
        let resolved: Scheme
        if let scheme {
            resolved = scheme
        } else if trimmed.count >= 2, Self.isLetter(trimmed[0]), Self.isLetter(trimmed[1]) {
            resolved = .iban
        } else if trimmed.allSatisfy(Self.isDigit) {
            resolved = .domestic
        } else {
            throw fail(.notRecognized)
        }
        let normalized: [UInt8]
        switch resolved {
        case .iban:
            switch Self.checkIBAN(trimmed) {
            case .success(let iban): normalized = iban
            case .failure(let code): throw fail(code)
            }
        case .domestic:
            guard trimmed.allSatisfy(Self.isDigit) else { throw fail(.domesticNotDigits) }
            guard Self.domesticDigitCount.contains(trimmed.count) else {
                throw fail(.domesticLength(digits: trimmed.count))
            }
            normalized = trimmed
        case .other:
            switch Self.checkOther(trimmed) {
            case .success(let other): normalized = other
            case .failure(let code): throw fail(code)
            }
        }
        self.scheme = resolved
        self.value = String(decoding: normalized, as: UTF8.self)
    }

    /// The stored form (``value``).
    public var description: String { value }

    /// For an IBAN, its country code (`DE`); `nil` for the other schemes.
    public var ibanCountryCode: String? { scheme == .iban ? String(value.prefix(2)) : nil }

    /// The form for people: an IBAN in groups of four (`DE89 3704 0044 0532 0130 00`), other schemes as stored.
    public var printFormat: String {
        guard scheme == .iban else { return value }
        var result = ""
        for (index, character) in value.enumerated() {
            if index > 0, index % 4 == 0 { result.append(" ") }
            result.append(character)
        }
        return result
    }

    // MARK: - IBAN

    private enum Check {
        case success([UInt8])
        case failure(BankAccountNumberError.Code)
    }

    /// Spaces removed, upper-cased, then: characters, shape, country, length, check digits — in that order, so the
    /// first thing wrong is the one reported.
    private static func checkIBAN(_ trimmed: [UInt8]) -> Check {
        let compact = trimmed.filter { $0 != UInt8(ascii: " ") }.map(upperCased)
        guard compact.allSatisfy({ isUpperLetter($0) || isDigit($0) }) else { return .failure(.ibanCharacter) }
        guard compact.count >= 5, isUpperLetter(compact[0]), isUpperLetter(compact[1]), isDigit(compact[2]),
              isDigit(compact[3]) else { return .failure(.ibanShape) }
        let country = String(decoding: compact[0..<2], as: UTF8.self)
        guard let length = ibanLengths[country] else { return .failure(.ibanUnknownCountry(country)) }
        guard compact.count == length else {
            return .failure(.ibanLength(country: country, length: compact.count, lengthExpected: length))
        }
        // ISO 7064 mod 97-10 allows check digits 02 to 98 only; 00, 01 and 99 are aliases of 97, 98 and 02.
        let checkDigits = Int(compact[2] - UInt8(ascii: "0")) * 10 + Int(compact[3] - UInt8(ascii: "0"))
        guard (2...98).contains(checkDigits), mod97(compact) == 1 else { return .failure(.ibanCheckDigits) }
        return .success(compact)
    }

    /// The IBAN's remainder modulo 97: the first four characters moved to the end, each letter read as two digits
    /// (A = 10 … Z = 35), one digit at a time, so the running value never exceeds 96 × 100 + 35.
    static func mod97(_ iban: [UInt8]) -> Int {
        var remainder = 0
        func add(_ byte: UInt8) {
            if isDigit(byte) {
                remainder = (remainder * 10 + Int(byte - UInt8(ascii: "0"))) % 97
            } else {
                remainder = (remainder * 100 + Int(byte - UInt8(ascii: "A")) + 10) % 97
            }
        }
        for byte in iban.dropFirst(4) { add(byte) }
        for byte in iban.prefix(4) { add(byte) }
        return remainder
    }

    // MARK: - Other

    /// Groups of letters and digits joined by single `/`, `-` or space; letters upper-cased, separators kept.
    private static func checkOther(_ trimmed: [UInt8]) -> Check {
        var previousWasSeparator = true  // a leading separator is as wrong as a doubled one
        var characterCount = 0
        for byte in trimmed {
            if isLetter(byte) || isDigit(byte) {
                characterCount += 1
                previousWasSeparator = false
            } else if isSeparator(byte), !previousWasSeparator {
                previousWasSeparator = true
            } else {
                return .failure(.otherShape)
            }
        }
        guard !previousWasSeparator else { return .failure(.otherShape) }  // trailing separator (spaces are trimmed)
        guard characterCount <= otherCharacterCountMax else {
            return .failure(.otherLength(characters: characterCount))
        }
        return .success(trimmed.map(upperCased))
    }

    // MARK: - Bytes

    private static func trimmingSpaces(_ bytes: [UInt8]) -> [UInt8] {
        guard let first = bytes.firstIndex(where: { $0 != UInt8(ascii: " ") }),
              let last = bytes.lastIndex(where: { $0 != UInt8(ascii: " ") }) else { return [] }
        return Array(bytes[first...last])
    }

    /// C0 and C1 controls and DEL: never part of an account number, and not to be echoed to a terminal or a log.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    private static func isUpperLetter(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
    }
    private static func isLetter(_ byte: UInt8) -> Bool {
        isUpperLetter(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
    }
    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "/") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: " ")
    }
    private static func upperCased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
    }
}

/// Why a bank account number was refused: the code, and a sentence for the clerk that says what is wrong and which
/// scheme to declare instead (`--account-scheme iban|domestic|other` on the command line).
///
/// The input is quoted only as a short excerpt (``text``, at most 40 characters, non-printable ones shown as `?`),
/// so a hostile or pasted-in-error input is never echoed in full to a terminal or a log.
public struct BankAccountNumberError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case empty
        /// Over ``BankAccountNumber/inputBytesMax`` bytes; refused before it is looked at.
        case tooLong(bytes: Int, bytesMax: Int)
        case controlCharacter(scalar: UInt32)
        /// No scheme was declared, and the input is neither digits only nor starts with two letters.
        case notRecognized
        /// Digits only, but not 6–34 of them.
        case domesticLength(digits: Int)
        /// Declared domestic, but not digits only.
        case domesticNotDigits
        /// Something other than letters, digits and spaces where an IBAN was expected.
        case ibanCharacter
        /// Not two letters followed by two check digits and at least one more character.
        case ibanShape
        /// The two letters are not a country of the IBAN registry.
        case ibanUnknownCountry(String)
        case ibanLength(country: String, length: Int, lengthExpected: Int)
        /// The ISO 7064 mod 97-10 check fails (or the check digits are 00, 01 or 99).
        case ibanCheckDigits
        /// Declared other, but not groups of letters and digits joined by single `/`, `-` or space.
        case otherShape
        /// Declared other, but more than ``BankAccountNumber/otherCharacterCountMax`` letters and digits.
        case otherLength(characters: Int)
    }

    public var code: Code
    /// An excerpt of the input for the sentence: at most 40 characters, control and format characters as `?`.
    public var text: String
    /// The scheme the clerk declared; `nil` when it was to be detected.
    public var declaredScheme: BankAccountNumber.Scheme?

    public init(_ code: Code, text: String, declaredScheme: BankAccountNumber.Scheme? = nil) {
        self.code = code
        self.declaredScheme = declaredScheme
        var excerpt = ""
        for (index, character) in text.enumerated() {
            if index == 40 {
                excerpt += "…"
                break
            }
            let printable = character.unicodeScalars.allSatisfy { scalar in
                switch scalar.properties.generalCategory {
                case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                    false
                default: true
                }
            }
            excerpt.append(printable ? character : "?")
        }
        self.text = excerpt
    }

    /// A stable kebab-case name of the code, for programs and logs.
    public var name: String {
        switch code {
        case .empty: "empty"
        case .tooLong: "too-long"
        case .controlCharacter: "control-character"
        case .notRecognized: "not-recognized"
        case .domesticLength: "domestic-length"
        case .domesticNotDigits: "domestic-not-digits"
        case .ibanCharacter: "iban-character"
        case .ibanShape: "iban-shape"
        case .ibanUnknownCountry: "iban-unknown-country"
        case .ibanLength: "iban-length"
        case .ibanCheckDigits: "iban-check-digits"
        case .otherShape: "other-shape"
        case .otherLength: "other-length"
        }
    }

    public var description: String {
        let other = "for another format (such as BLZ/account 37040044/0532013000) pass --account-scheme other"
        switch code {
        case .empty:
            return "a bank account number is required"
        case .tooLong(let bytes, let max):
            return "the bank account number is \(bytes) bytes long, over the limit of \(max); no account number is "
                + "that long"
        case .controlCharacter(let scalar):
            return "the bank account number holds the control character U+\(String(scalar, radix: 16, uppercase: true))"
                + "; type it again instead of pasting it"
        case .notRecognized:
            return "'\(text)' is not 6–34 digits; for an IBAN it must start with two letters; \(other)"
        case .domesticLength(let digits):
            return "'\(text)' has \(digits) digits, but a domestic account number has 6–34 digits; \(other)"
        case .domesticNotDigits:
            return "'\(text)' is not 6–34 digits (a domestic account number is digits only, without spaces); "
                + "for an IBAN pass --account-scheme iban; \(other)"
        case .ibanCharacter:
            return "'\(text)' is not an IBAN: an IBAN holds only letters A–Z, digits and spaces; \(other)"
        case .ibanShape:
            return "'\(text)' is not an IBAN: it must start with a two-letter country code and two check digits "
                + "(DE89…); for a domestic number of 6–34 digits pass --account-scheme domestic; \(other)"
        case .ibanUnknownCountry(let country):
            return "'\(text)' is not an IBAN: \(country) is not a country of the IBAN registry; \(other)"
        case .ibanLength(let country, let length, let expected):
            return "'\(text)' is not an IBAN: an IBAN of \(country) has \(expected) characters, this one has "
                + "\(length); look for a missing or extra character"
        case .ibanCheckDigits:
            return "'\(text)' is not a valid IBAN: its check digits are wrong (the ISO 7064 mod 97 check fails), so "
                + "a character is mistyped or two are swapped; copy it again from the bank's document"
        case .otherShape:
            return "'\(text)' is not an account number of the other scheme: it may hold only letters A–Z, digits "
                + "and single separators (/, - or a space) between groups"
        case .otherLength(let characters):
            return "'\(text)' has \(characters) letters and digits, but an account number has at most "
                + "\(BankAccountNumber.otherCharacterCountMax)"
        }
    }
}
