/// A value in a replicated change's field map. The wire encoding of each case is specified in
/// `Protocol/PROTOCOL.md` §5 ("Field values").
///
/// Deliberately small: integers (money in minor units, counters), text, bytes (keys), and lists and records so
/// that a voucher travels as one change together with its lines.
public indirect enum FieldValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case text(String)
    case bytes([UInt8])
    case list([FieldValue])
    case record([String: FieldValue])

    public var integerValue: Int64? { if case .integer(let value) = self { value } else { nil } }
    public var textValue: String? { if case .text(let value) = self { value } else { nil } }
    public var bytesValue: [UInt8]? { if case .bytes(let value) = self { value } else { nil } }
    public var listValue: [FieldValue]? { if case .list(let value) = self { value } else { nil } }
    public var recordValue: [String: FieldValue]? { if case .record(let value) = self { value } else { nil } }
}

/// Typed access to a change's fields that throws a specific `LedgerRuleViolation` when a field is missing or of
/// the wrong kind, so a malformed change from the wire is rejected with its reason.
public struct FieldReader: Sendable {
    public let fields: [String: FieldValue]
    public let context: String

    public init(_ fields: [String: FieldValue], context: String) {
        self.fields = fields
        self.context = context
    }

    public func text(_ name: String) throws(LedgerRuleViolation) -> String {
        guard let value = fields[name]?.textValue else { throw .malformed("\(context) has no text field '\(name)'") }
        return value
    }

    public func optionalText(_ name: String) throws(LedgerRuleViolation) -> String? {
        switch fields[name] {
        case nil, .null?: return nil
        case .text(let value)?: return value
        default: throw .malformed("\(context) field '\(name)' is not text")
        }
    }

    public func integer(_ name: String) throws(LedgerRuleViolation) -> Int64 {
        guard let value = fields[name]?.integerValue else { throw .malformed("\(context) has no integer field '\(name)'") }
        return value
    }

    public func optionalInteger(_ name: String) throws(LedgerRuleViolation) -> Int64? {
        switch fields[name] {
        case nil, .null?: return nil
        case .integer(let value)?: return value
        default: throw .malformed("\(context) field '\(name)' is not an integer")
        }
    }

    public func orgCode(_ name: String) throws(LedgerRuleViolation) -> OrgCode {
        let text = try text(name)
        guard let code = OrgCode(text) else { throw .malformed("\(context) field '\(name)' is not an org code: \(text)") }
        return code
    }

    public func list(_ name: String) throws(LedgerRuleViolation) -> [FieldValue] {
        guard let value = fields[name]?.listValue else { throw .malformed("\(context) has no list field '\(name)'") }
        return value
    }
}
