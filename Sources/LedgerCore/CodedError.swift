/// An error at a module boundary that keeps its meaning as a code beside its sentence (`RegistryError`,
/// `TreasuryError`, `NodeError`; `BatchDecodingError` and `LedgerRuleViolation` carry richer codes of their own).
/// Programs act on `code` or its stable `name`; people read `description`, which carries the context.
public protocol CodedError: Error, CustomStringConvertible, Sendable {
    associatedtype Code: RawRepresentable & Sendable where Code.RawValue == String
    var code: Code { get }
}

extension CodedError {
    /// The code's stable name, in kebab case (`notFound` → `not-found`).
    public var name: String {
        code.rawValue.reduce(into: "") { name, character in
            if character.isUppercase { name += "-" + character.lowercased() } else { name.append(character) }
        }
    }
}
