import BatchWire

/// Text from outside (a memo, a name, a reason another office wrote) made safe for a terminal line.
///
/// Why here: the command line is where such text meets a terminal. A newline could forge an output line that a
/// clerk or a script trusts ("posted …"), and an escape code could redraw the screen; `BatchFiles.printable`
/// writes them as `\n`, `\u{1B}`. An oversized text is cut, so a 64 KiB memo is not echoed back in full.
enum TerminalText {
    /// Characters of outside text shown on one line before it is cut with "…".
    static let characterCountMax = 120

    static func safe(_ text: String, characterCountMax: Int = TerminalText.characterCountMax) -> String {
        let printable = BatchFiles.printable(text)
        return printable.count > characterCountMax ? String(printable.prefix(characterCountMax)) + "…" : printable
    }
}

/// Every `print` of this module goes through here: escape codes and other control characters (all but the newline
/// and tab the command itself writes between lines and columns) are shown escaped, whatever the text's source.
/// Field values that may hold a newline of their own go through `TerminalText.safe` first.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    let text = items.map { "\($0)" }.joined(separator: separator)
    var safe = ""
    safe.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        if scalar == "\n" || scalar == "\t" || scalar.properties.generalCategory != .control {
            safe.unicodeScalars.append(scalar)
        } else {
            safe += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
        }
    }
    Swift.print(safe, terminator: terminator)
}
