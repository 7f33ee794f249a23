/// Why a payment message could not be written or a bank's answer could not be read: one sentence for a person, with
/// the place (the instruction's end-to-end id, or the element path and line of the bank's file).
public struct PaymentMessageError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        /// A text is empty, too long for its ISO 20022 type or holds characters XML cannot carry.
        case invalidText(field: String, reason: String)
        /// An amount is not positive, beyond the cap, or the sums overflow.
        case invalidAmount(field: String, reason: String)
        /// Two instructions of one message share an end-to-end id, or a message holds none.
        case invalidMessage(String)
        /// The bank's file is not the message it should be (not well-formed, another message, a missing element).
        case unreadable(String)
    }

    public let code: Code
    /// The instruction (end-to-end id) or element path the problem is at.
    public let place: String?
    /// 1-based line in the bank's file, when reading one.
    public let line: Int?

    public init(_ code: Code, place: String? = nil, line: Int? = nil) {
        self.code = code
        self.place = place
        self.line = line
    }

    public var description: String {
        var prefix = ""
        if let place { prefix += place }
        if let line { prefix += (prefix.isEmpty ? "" : " ") + "(line \(line))" }
        if !prefix.isEmpty { prefix += ": " }
        switch code {
        case .invalidText(let field, let reason): return prefix + "\(field) \(reason)"
        case .invalidAmount(let field, let reason): return prefix + "\(field) \(reason)"
        case .invalidMessage(let reason): return prefix + reason
        case .unreadable(let reason): return prefix + reason
        }
    }
}
