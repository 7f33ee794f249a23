/// Escaping for the XML parts of an xlsx, so no cell text or sheet name can break the markup or be read back
/// differently from what was written.
enum XMLText {
    /// Escapes text for an attribute value: the five XML entities, and tab/CR/LF as character references, because
    /// an XML parser would otherwise normalise them to spaces inside attributes.
    static func attribute(_ text: String) -> String {
        escaped(text, keepsLineBreaks: false)
    }

    /// Escapes cell text for a `<t>` element, as OOXML's `ST_Xstring` asks: characters XML 1.0 cannot carry (most
    /// C0 controls, U+FFFE, U+FFFF) become `_xHHHH_`, and a literal `_xHHHH_` in the text gets its `_` escaped as
    /// `_x005F_`, so Excel shows exactly the original text. CR becomes `&#xD;`, which parsers keep, where a raw CR
    /// would be turned into LF.
    static func cellText(_ text: String) -> String {
        escaped(ooxmlEscaped(text), keepsLineBreaks: true)
    }

    private static func escaped(_ text: String, keepsLineBreaks: Bool) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\r": result += "&#xD;"
            case "\n" where !keepsLineBreaks: result += "&#xA;"
            case "\t" where !keepsLineBreaks: result += "&#x9;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func ooxmlEscaped(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var result = ""
        for (index, scalar) in scalars.enumerated() {
            if !isXMLCharacter(scalar) {
                result += "_x" + hex4(scalar.value) + "_"
            } else if scalar == "_", startsEscapePattern(scalars, at: index) {
                result += "_x005F_"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// XML 1.0 `Char`, less the surrogates a Swift scalar cannot hold anyway.
    private static func isXMLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: true
        case 0x00...0x1F, 0xFFFE, 0xFFFF: false
        default: true
        }
    }

    /// Whether `_xHHHH_` starts at `index`.
    private static func startsEscapePattern(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + 6 < scalars.count, scalars[index + 1] == "x", scalars[index + 6] == "_" else { return false }
        return scalars[(index + 2)...(index + 5)].allSatisfy { $0.properties.isASCIIHexDigit }
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
