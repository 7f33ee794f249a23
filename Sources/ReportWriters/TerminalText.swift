/// Makes untrusted cell text safe and single-line for a terminal.
///
/// Report text comes from every county's data entry. A newline or tab would break the column layout, and an ANSI
/// escape sequence or a bidirectional override (the "Trojan Source" trick) could recolour, hide or visually reorder
/// what an auditor reads, so line breaks and tabs become spaces and other control and bidi characters become U+FFFD.
enum TerminalText {
    static func sanitized(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            result.unicodeScalars.append(replacement(for: scalar) ?? scalar)
        }
        return result
    }

    private static func replacement(for scalar: Unicode.Scalar) -> Unicode.Scalar? {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0x85, 0x2028, 0x2029: " "
        case 0x00...0x1F, 0x7F...0x9F: "\u{FFFD}"
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: "\u{FFFD}"
        default: nil
        }
    }
}
