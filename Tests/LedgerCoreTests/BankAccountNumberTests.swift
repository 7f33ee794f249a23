import LedgerCore
import Testing

/// Goal: a bank account number is registered only as a checked IBAN, a domestic number of 6–34 digits, or another
/// format the clerk declared; every refusal says what is wrong and which scheme to declare, and no input — however
/// long or hostile — traps or is echoed in full.
@Suite struct BankAccountNumberTests {
    /// The example IBAN of every country in the table, from the SWIFT IBAN registry (as ECBS published them before).
    static let registryExamples = [
        "AD1200012030200359100100", "AE070331234567890123456", "AL47212110090000000235698741",
        "AT611904300234573201", "AZ21NABZ00000000137010001944", "BA391290079401028494", "BE68539007547034",
        "BG80BNBG96611020345678", "BH67BMAG00001299123456", "BI4210000100010000332045181",
        "BR1800360305000010009795493C1", "BY13NBRB3600900000002Z00AB00", "CH9300762011623852957",
        "CR05015202001026284066", "CY17002001280000001200527600", "CZ6508000000192000145399",
        "DE89370400440532013000", "DJ2100010000000154000100186", "DK5000400440116243",
        "DO28BAGR00000001212453611324", "EE382200221020145685", "EG380019000500000000263180002",
        "ES9121000418450200051332", "FI2112345600000785", "FK88SC123456789012", "FO6264600001631634",
        "FR1420041010050500013M02606", "GB82WEST12345698765432", "GE29NB0000000101904917",
        "GI75NWBK000000007099453", "GL8964710001000206", "GR1601101250000000012300695",
        "GT82TRAJ01020000001210029690", "HN88CABF00000000000250005469", "HR1210010051863000160",
        "HU42117730161111101800000000", "IE29AIBK93115212345678", "IL620108000000099999999",
        "IQ98NBIQ850123456789012", "IS140159260076545510730339", "IT60X0542811101000000123456",
        "JO94CBJO0010000000000131000302", "KW81CBKU0000000000001234560101", "KZ86125KZT5004100100",
        "LB62099900000001001901229114", "LC55HEMM000100010012001200023015", "LI21088100002324013AA",
        "LT121000011101001000", "LU280019400644750000", "LV80BANK0000435195001", "LY83002048000020100120361",
        "MC5811222000010123456789030", "MD24AG000225100013104168", "ME25505000012345678951",
        "MK07250120000058984", "MN121234123456789123", "MR1300020001010000123456753",
        "MT84MALT011000012345MTLCAST001S", "MU17BOMM0101101030300200000MUR", "NI45BAPR00000013000003558124",
        "NL91ABNA0417164300", "NO9386011117947", "OM040280000012345678901", "PK36SCBL0000001123456702",
        "PL61109010140000071219812874", "PS92PALS000000000400123456702", "PT50000201231234567890154",
        "QA58DOHB00001234567890ABCDEFG", "RO49AAAA1B31007593840000", "RS35260005601001611379",
        "RU0304452522540817810538091310419", "SA0380000000608010167519", "SC18SSCB11010000000000001497USD",
        "SD2129010501234001", "SE4550000000058398257466", "SI56263300012039086", "SK3112000000198742637541",
        "SM86U0322509800000000270100", "SO211000001001000100141", "ST23000100010051845310146",
        "SV62CENR00000000000000700025", "TL380080012345678910157", "TN5910006035183598478831",
        "TR330006100519786457841326", "UA213223130000026007233566001", "VA59001123000012345678",
        "VG96VPVG0000012345678901", "XK051212012345678906", "YE15CBYE0001018861234567891234",
    ]

    static let otherHint = "for another format (such as BLZ/account 37040044/0532013000) pass --account-scheme other"

    static func refusal(_ text: String, scheme: BankAccountNumber.Scheme? = nil) -> BankAccountNumberError? {
        do throws(BankAccountNumberError) {
            _ = try BankAccountNumber(text, scheme: scheme)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - IBAN

    @Test(arguments: registryExamples)
    func acceptsTheRegistryExampleOfEveryCountry(iban: String) throws {
        let number = try BankAccountNumber(iban)
        #expect(number.scheme == .iban && number.value == iban && number.description == iban)
        #expect(number.ibanCountryCode == String(iban.prefix(2)))
        #expect(try BankAccountNumber(iban, scheme: .iban) == number)
    }

    @Test func theTableCoversEveryExampleAndEverySEPACountry() {
        #expect(Set(Self.registryExamples.map { String($0.prefix(2)) }) == Set(BankAccountNumber.ibanLengths.keys))
        let sepa = ["AD", "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GI", "GR",
                    "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MC", "MT", "NL", "NO", "PL", "PT", "RO",
                    "SE", "SI", "SK", "SM", "VA"]
        #expect(sepa.allSatisfy { BankAccountNumber.ibanLengths[$0] != nil })
        #expect(BankAccountNumber.ibanLengths.values.allSatisfy { (15...34).contains($0) })
        let codes = BankAccountNumber.ibanLengths.keys
        #expect(codes.allSatisfy { code in code.utf8.count == 2 && code.utf8.allSatisfy { (65...90).contains($0) } })
    }

    @Test(arguments: [
        ("de89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        ("  GB82 WEST 1234 5698 7654 32  ", "GB82WEST12345698765432"),
        ("fr14 2004 1010 0505 0001 3m02 606", "FR1420041010050500013M02606"),
        ("Nl91abna0417164300", "NL91ABNA0417164300"),
        ("MT84 MALT 0110 0001 2345 MTLC AST0 01S", "MT84MALT011000012345MTLCAST001S"),
    ])
    func normalisesLowerCaseAndSpacedInput(text: String, expected: String) throws {
        let number = try BankAccountNumber(text)
        #expect(number.scheme == .iban && number.value == expected)
    }

    @Test func printsAnIBANInGroupsOfFour() throws {
        #expect(try BankAccountNumber("DE89370400440532013000").printFormat == "DE89 3704 0044 0532 0130 00")
        #expect(try BankAccountNumber("NO9386011117947").printFormat == "NO93 8601 1117 947")
        #expect(try BankAccountNumber("6222021001123456789").printFormat == "6222021001123456789")
    }

    @Test func refusesAWrongCheckDigitWithASentenceThatSaysSo() throws {
        let error = try #require(Self.refusal("DE88370400440532013000"))
        #expect(error.code == .ibanCheckDigits && error.name == "iban-check-digits")
        #expect(error.description == "'DE88370400440532013000' is not a valid IBAN: its check digits are wrong (the "
            + "ISO 7064 mod 97 check fails), so a character is mistyped or two are swapped; copy it again from the "
            + "bank's document")
        #expect(Self.refusal("GB82 WEST 1234 5698 7654 33")?.code == .ibanCheckDigits)
        #expect(Self.refusal("FR1420041010050500013M02607", scheme: .iban)?.code == .ibanCheckDigits)
    }

    /// mod 97-10 catches every single wrong digit and every swap of two neighbours.
    @Test func everyMistypedOrSwappedCharacterIsCaught() {
        let iban = Array("DE89370400440532013000")
        var missed: [String] = []
        for position in 2..<iban.count {
            for digit in "0123456789" where digit != iban[position] {
                var typo = iban
                typo[position] = digit
                if Self.refusal(String(typo))?.code != .ibanCheckDigits { missed.append(String(typo)) }
            }
            if position + 1 < iban.count, iban[position] != iban[position + 1] {
                var swapped = iban
                swapped.swapAt(position, position + 1)
                if Self.refusal(String(swapped))?.code != .ibanCheckDigits { missed.append(String(swapped)) }
            }
        }
        #expect(missed.isEmpty)
    }

    /// 00, 01 and 99 pass the remainder check when 97, 98 or 02 is right, but ISO 7064 never issues them.
    @Test func refusesCheckDigitsOutsideTwoToNinetyEight() throws {
        for (valid, alias) in [("DE02100000000000000089", "DE99100000000000000089"),
                               ("DE97100000000000000028", "DE00100000000000000028"),
                               ("DE98100000000000000010", "DE01100000000000000010")] {
            #expect(try BankAccountNumber(valid).value == valid)
            #expect(Self.refusal(alias)?.code == .ibanCheckDigits, "\(alias)")
        }
    }

    @Test func refusesTheWrongLengthForTheCountry() throws {
        let short = try #require(Self.refusal("DE8937040044053201300"))
        #expect(short.code == .ibanLength(country: "DE", length: 21, lengthExpected: 22))
        #expect(short.description == "'DE8937040044053201300' is not an IBAN: an IBAN of DE has 22 characters, this "
            + "one has 21; look for a missing or extra character")
        #expect(Self.refusal("GB82WEST123456987654321")?.code
            == .ibanLength(country: "GB", length: 23, lengthExpected: 22))
        // The country decides the length, not a range: 22 characters are right for DE, wrong for NO.
        #expect(Self.refusal("NO93860111179470000000")?.code
            == .ibanLength(country: "NO", length: 22, lengthExpected: 15))
    }

    @Test func refusesWhatIsNotAnIBANWithTheSchemeToUse() throws {
        let country = try #require(Self.refusal("XX89370400440532013000"))
        #expect(country.code == .ibanUnknownCountry("XX"))
        #expect(country.description == "'XX89370400440532013000' is not an IBAN: XX is not a country of the IBAN "
            + "registry; " + Self.otherHint)
        #expect(Self.refusal("CN12345678901234567890")?.code == .ibanUnknownCountry("CN"))
        #expect(Self.refusal("US64SVBKUS6S3300958879")?.code == .ibanUnknownCountry("US"))
        #expect(Self.refusal("DEAB370400440532013000")?.code == .ibanShape)
        #expect(Self.refusal("DE8")?.code == .ibanShape)
        #expect(Self.refusal(String(repeating: "A", count: 60))?.code == .ibanShape)
        let characters = try #require(Self.refusal("DE89-3704-0044-0532-0130-00"))
        #expect(characters.code == .ibanCharacter && characters.description.hasSuffix(Self.otherHint))
        let declared = try #require(Self.refusal("6222021001123456789", scheme: .iban))
        #expect(declared.code == .ibanShape && declared.declaredScheme == .iban)
        #expect(declared.description.contains("--account-scheme domestic"))
    }

    // MARK: - Domestic

    @Test(arguments: ["6222021001123456789", "6217002710000123456", "9558820200001234567", "123456",
                      "0000000001", String(repeating: "9", count: 34)])
    func acceptsDomesticNumbersOf6To34Digits(text: String) throws {
        let number = try BankAccountNumber(text)
        #expect(number.scheme == .domestic && number.value == text && number.ibanCountryCode == nil)
        #expect(try BankAccountNumber(text, scheme: .domestic) == number)
    }

    @Test func refusesDomesticNumbersOfTheWrongLength() throws {
        let short = try #require(Self.refusal("12345"))
        #expect(short.code == .domesticLength(digits: 5))
        #expect(short.description == "'12345' has 5 digits, but a domestic account number has 6–34 digits; "
            + Self.otherHint)
        #expect(Self.refusal(String(repeating: "1", count: 35))?.code == .domesticLength(digits: 35))
        #expect(Self.refusal("1234", scheme: .domestic)?.code == .domesticLength(digits: 4))
        let letters = try #require(Self.refusal("DE89370400440532013000", scheme: .domestic))
        #expect(letters.code == .domesticNotDigits && letters.description.contains("--account-scheme iban"))
        #expect(Self.refusal("6222 0210 0112 3456 789", scheme: .domestic)?.code == .domesticNotDigits)
    }

    // MARK: - Other

    @Test(arguments: [
        ("37040044/0532013000", "37040044/0532013000"),
        ("  37040044/0532013000 ", "37040044/0532013000"),
        ("abc-123-x9", "ABC-123-X9"),
        ("6222 0210 0112 3456 789", "6222 0210 0112 3456 789"),
        ("A", "A"),
        ("0532013000", "0532013000"),
        (String(repeating: "7", count: 34), String(repeating: "7", count: 34)),
        (hyphenated34, hyphenated34),
    ])
    func acceptsADeclaredOtherFormat(text: String, expected: String) throws {
        let number = try BankAccountNumber(text, scheme: .other)
        #expect(number.scheme == .other && number.value == expected && number.printFormat == expected)
    }

    /// 34 characters with a separator between each: the longest other-scheme input (67 bytes).
    static let hyphenated34 = Array(repeating: "1", count: 34).joined(separator: "-")

    @Test func aBLZAndAccountNeedsTheOtherSchemeDeclared() throws {
        let error = try #require(Self.refusal("37040044/0532013000"))
        #expect(error.code == .notRecognized && error.declaredScheme == nil && error.name == "not-recognized")
        #expect(error.description == "'37040044/0532013000' is not 6–34 digits; for an IBAN it must start with two "
            + "letters; " + Self.otherHint)
        #expect(Self.refusal("6222 0210 0112 3456 789")?.code == .notRecognized)
        #expect(Self.refusal("12-AB-34")?.code == .notRecognized)
        // Declared other, an IBAN is kept as the clerk wrote it, unchecked.
        #expect(try BankAccountNumber("DE88370400440532013000", scheme: .other).scheme == .other)
    }

    @Test(arguments: ["37040044//0532013000", "/0532013000", "0532013000-", "37040044 / 0532013000", "12_34",
                      "12.34", "账号123", "１２３４５６", "DE89\u{202E}3704"])
    func refusesAnOtherFormatThatIsNotGroupsAndSingleSeparators(text: String) {
        #expect(Self.refusal(text, scheme: .other)?.code == .otherShape, "\(text)")
    }

    @Test func refusesAnOtherFormatOfMoreThan34Characters() throws {
        let error = try #require(Self.refusal(String(repeating: "A1", count: 18), scheme: .other))
        #expect(error.code == .otherLength(characters: 36))
    }

    // MARK: - Hostile input

    @Test func refusesOverlongInputBeforeLookingAtIt() throws {
        let huge = try #require(Self.refusal(String(repeating: "9", count: 10_000)))
        #expect(huge.code == .tooLong(bytes: 10_000, bytesMax: BankAccountNumber.inputBytesMax))
        #expect(huge.description.count < 120 && !huge.description.contains("9999999999"))
        #expect(Self.refusal(String(repeating: "é", count: 10_000), scheme: .other)?.code
            == .tooLong(bytes: 20_000, bytesMax: BankAccountNumber.inputBytesMax))
        #expect(Self.refusal(String(repeating: "\u{0}", count: 10_000))?.code
            == .tooLong(bytes: 10_000, bytesMax: BankAccountNumber.inputBytesMax))
        #expect(Self.refusal(String(repeating: "1", count: 101))?.code
            == .tooLong(bytes: 101, bytesMax: BankAccountNumber.inputBytesMax))
        // Exactly at the limit it is looked at (and refused for what it is).
        #expect(Self.refusal(String(repeating: "1", count: 100))?.code == .domesticLength(digits: 100))
    }

    @Test(arguments: [("DE89\u{0}370400440532013000", UInt32(0)), ("\u{7}6222021001123456789", 7),
                      ("6222021001\u{1B}[31m123456789", 0x1B), ("6222021001123456789\n", 10), ("DE89\t3704", 9),
                      ("37040044\u{7F}/0532013000", 0x7F), ("6222021001\u{85}123", 0x85), ("\r\n", 13)])
    func refusesControlCharactersWithoutEchoingThem(text: String, scalar: UInt32) {
        for scheme in [nil, BankAccountNumber.Scheme.iban, .domestic, .other] {
            let error = Self.refusal(text, scheme: scheme)
            #expect(error?.code == .controlCharacter(scalar: scalar), "\(String(describing: scheme))")
            let printable = error?.description.unicodeScalars.allSatisfy { unit in
                unit.value >= 0x20 && !(0x7F...0x9F).contains(unit.value)
            }
            #expect(printable == true)
        }
    }

    @Test func quotesOnlyAShortPrintableExcerpt() throws {
        let long = try #require(Self.refusal(String(repeating: "A", count: 60)))
        #expect(long.text == String(repeating: "A", count: 40) + "…")
        let bidi = try #require(Self.refusal("DE89\u{202E}0000\u{200B}11"))
        #expect(bidi.code == .ibanCharacter && bidi.text == "DE89?0000?11")
        #expect(Self.refusal("")?.code == .empty && Self.refusal("    ")?.code == .empty)
        #expect(Self.refusal("", scheme: .other)?.description == "a bank account number is required")
    }
}
