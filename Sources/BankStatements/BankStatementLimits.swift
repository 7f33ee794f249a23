import LedgerCore

/// Every limit of the statement readers, named in one place (TigerBeetle's "put a limit on everything").
///
/// A statement file comes from outside (a bank portal, a USB stick), so each reader checks these before it
/// allocates: a hostile or broken file is refused with ``StatementParseError/Code/limitExceeded(what:count:countMax:)``
/// instead of exhausting memory. The relationships between them are tested in `BankStatementLimitsTests`.
///
/// They live here rather than in `LedgerCore.Limits` because only this module reads statement files.
public enum BankStatementLimits {
    /// Bytes of one statement file. A busy treasury account's daily camt.053 is a few megabytes.
    public static let fileBytesMax = 64 * 1024 * 1024
    /// Statements in one file (one per account and day, or pages of one).
    public static let statementCountMax = 10_000
    /// Entries in one statement.
    public static let entryCountMax = 250_000
    /// Bytes of one text field (narrative, reference, counterparty): the ledger's own text limit, so every text
    /// read can be stored.
    public static let textBytesMax = Limits.textBytesMax
    /// Digits of one amount. 18 digits always fit `Int64` minor units; SWIFT allows 15, ISO 20022 18.
    public static let amountDigitsMax = 18
    /// Nesting depth of XML elements. camt.053 nests about 12 deep; more is a sign of an attack.
    public static let xmlDepthMax = 64
    /// XML elements in one file: about ten per kilobyte of the largest file allowed.
    public static let xmlElementCountMax = fileBytesMax / 100
}
