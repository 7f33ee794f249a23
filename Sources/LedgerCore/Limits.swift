/// Every limit in FundSync, named in one place (TigerBeetle's "put a limit on everything").
///
/// Decoders check these before allocating; the relationships between them are tested in `LimitsTests`.
public enum Limits {
    /// Entries (`.reason` files) the quarantine keeps for refused HTTP uploads; beyond it a refusal is only logged.
    public static let quarantineEntryCountMax = 10_000
    /// Bytes of refused upload bodies the quarantine keeps; beyond it only the `.reason` is written.
    public static let quarantineBytesMax = 1 << 30
    /// The largest amount on one voucher line, one voucher side, or one document: ¥10,000,000,000,000.00 in fen.
    /// Why: a province moves far less in one voucher, and with this cap ~9,000 maximal vouchers still fit in the
    /// 64-bit sums the reports take, where release 1 let two amounts of Int64.max fen make every balance overflow.
    public static let amountMinorUnitsMax: Int64 = 1_000_000_000_000_000
    /// The most one office may book in all its documents together (voucher debits, bank advices, slips, payments,
    /// applications), over its whole life: ¥100,000,000,000,000.00 in fen, about a year of the whole country's output.
    /// Why: every sum a report or reconciliation takes (an account, an org and day, a level) then stays within 64 bits
    /// unless more than 900 offices are at this cap together, where release 2 before it let one office with about
    /// 9,224 vouchers at `amountMinorUnitsMax` on one account make `balances` and `hub reconcile` fail for everyone.
    /// The hub checks it (`office-volume-over-cap`); its own documents are not counted.
    public static let officeVolumeMinorUnitsMax: Int64 = 10_000_000_000_000_000
    /// Bytes in an org code; keeps file names and header fields short.
    public static let orgCodeBytesMax = 32
    /// Changes in one batch. A 100,000-change benchmark batch must fit.
    public static let batchChangeCountMax = 250_000
    /// Uncompressed payload bytes in one batch: the decompression-bomb guard.
    public static let batchPayloadBytesMax = 256 * 1024 * 1024
    /// Compressed payload bytes in one batch.
    public static let batchPayloadBytesCompressedMax = 128 * 1024 * 1024
    /// Whole batch file bytes (header + payload + signature).
    public static let batchFileBytesMax = batchPayloadBytesCompressedMax + 64 * 1024
    /// Bytes in one encoded change; a voucher with `voucherLineCountMax` lines fits easily.
    public static let changeBytesMax = 1024 * 1024
    /// Entries in one bank statement an office imports and replicates (`statement`, 6/6 item 4). A county account's
    /// month has a few hundred; with the 1 MiB change limit this many entries still leave ~100 bytes each.
    public static let statementEntryCountMax = 10_000
    /// Lines in one voucher.
    public static let voucherLineCountMax = 1_000
    /// Bytes in one text field value (memo, names, a PEM key); the decoder refuses longer ones.
    public static let textBytesMax = 64 * 1024
    /// Nesting depth of field values (a voucher's lines are a list of records: depth 2).
    public static let fieldValueDepthMax = 8
    /// Changes exported per batch file by `fundsync export`; more go in the next file.
    public static let exportChangeCountMax = 100_000
    /// Bytes of a voucher JSON file accepted by `fundsync post`.
    public static let postFileBytesMax = 64 * 1024 * 1024
}
