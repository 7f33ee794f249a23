/// A small writer of indented XML for the messages FundSync sends: elements, attributes and escaped text, nothing
/// else. Texts are checked before they get here (``ISOText``), so writing cannot fail.
package struct XMLOutput {
    package private(set) var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    private var open: [String] = []

    package init() {}

    /// Opens `name` with `attributes` (written in the order given).
    package mutating func start(_ name: String, _ attributes: [(String, String)] = []) {
        text += indent + "<" + name + attributes.map { " \($0.0)=\"\(Self.escape($0.1))\"" }.joined() + ">\n"
        open.append(name)
    }

    /// Closes the element opened last.
    package mutating func end() {
        let name = open.removeLast()
        text += indent + "</" + name + ">\n"
    }

    /// `<name attributes>value</name>` on one line.
    package mutating func leaf(_ name: String, _ value: String, _ attributes: [(String, String)] = []) {
        text += indent + "<" + name + attributes.map { " \($0.0)=\"\(Self.escape($0.1))\"" }.joined() + ">"
            + Self.escape(value) + "</" + name + ">\n"
    }

    /// Opens `name`, runs `body`, closes it.
    package mutating func element(_ name: String, _ attributes: [(String, String)] = [], _ body: (inout XMLOutput) -> Void) {
        start(name, attributes)
        body(&self)
        end()
    }

    private var indent: String { String(repeating: "  ", count: open.count) }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}

/// The ISO 20022 text types a message uses, checked before anything is written: length in characters (Unicode
/// scalars, as XML Schema counts them) and only characters XML 1.0 can carry.
enum ISOText {
    /// Checks `text` as a `Max<max>Text` (1…`max` characters, no control characters but none at all, no surrogates or
    /// non-characters XML refuses).
    static func check(_ text: String, max: Int, field: String, place: String?) throws(PaymentMessageError) {
        let count = text.unicodeScalars.count
        guard count >= 1 else { throw PaymentMessageError(.invalidText(field: field, reason: "is empty"), place: place) }
        guard count <= max else {
            throw PaymentMessageError(.invalidText(field: field, reason: "has \(count) characters, more than the \(max) ISO 20022 allows"), place: place)
        }
        guard text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0xFFFE && $0.value != 0xFFFF }) else {
            throw PaymentMessageError(.invalidText(field: field, reason: "holds a control character"), place: place)
        }
        guard text.trimmingSpaces() == text else {
            throw PaymentMessageError(.invalidText(field: field, reason: "begins or ends with a space"), place: place)
        }
    }

    /// Checks `text` against an ASCII pattern given as the set of bytes each position may hold.
    static func checkASCII(_ text: String, field: String, place: String?, lengths: ClosedRange<Int>,
                           allowed: (UInt8) -> Bool, what: String) throws(PaymentMessageError) {
        let bytes = Array(text.utf8)
        guard lengths.contains(bytes.count), bytes.allSatisfy(allowed) else {
            throw PaymentMessageError(.invalidText(field: field, reason: "'\(text)' is not \(what)"), place: place)
        }
    }
}

extension String {
    /// Without leading and trailing spaces.
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " }) else { return "" }
        let last = scalars.lastIndex(where: { $0 != " " })!
        return String(scalars[first...last])
    }
}
