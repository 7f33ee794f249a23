/// The pain.001 (CustomerCreditTransferInitiation) versions written (DECISIONS: 001.001.03, which most Chinese and
/// European banks' host-to-host channels still take, and 001.001.09, the current one).
public enum Pain001Version: String, CaseIterable, Hashable, Sendable {
    case v03 = "pain.001.001.03"
    case v09 = "pain.001.001.09"

    /// The XML namespace of the version's schema.
    public var namespace: String { "urn:iso:std:iso:20022:tech:xsd:\(rawValue)" }
}
