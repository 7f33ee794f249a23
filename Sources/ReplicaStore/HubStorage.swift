import Foundation
import LedgerCore

/// The hub's own storage, apart from replication: reconciliation aggregates and findings, bank statements, the report
/// row sets and stream findings. Nothing here is replicated; a node has none of it (`ReplicaSchema`, one migrator per
/// role). HubCore reaches it only through this protocol (`Hub.storage`), and no GRDB type appears in it, so a second
/// backend for the hub (PostgreSQL, issue 11) implements these operations against the same meaning. The embedded
/// backend is `ReplicaStore` itself, on the same SQLite file as the replica.
///
/// Writes of hub-only state that belong to a replication transaction — a stream finding recorded with the booking it is
/// about, a finding's notice or explanation — are `ReplicaTransaction` operations (`recordStreamFinding`,
/// `attachNotice`, `markFindingExplained`), so they commit with the change that caused them. docs/DESIGN.md §7.3 lists
/// what each operation relies on.
public protocol HubStorage: Sendable {
    // Reconciliation aggregates (`recon_account_day`, `recon_dirty`).
    /// Recomputes the daily movement per account for the (org, date) cells changed since the last run (or all).
    func rebuildAccountDays(full: Bool) throws -> [(org: String, date: String)]
    func unbalancedDays(from: String, through: String) throws -> [(org: String, date: String, debit: Int64, credit: Int64)]
    func dayTotals(org: String, date: String) throws -> (debit: Int64, credit: Int64)
    func reconBalances(accountLike pattern: String, through date: String) throws -> [String: Int64]
    func balanceHistories(kind: AccountKind, through date: String) throws -> [String: [(date: String, balance: Int64)]]
    func allBalances(through date: String) throws -> [String: Int64]
    func reconBalance(_ account: String, through date: String) throws -> Int64

    // What reconciliation reads of the replicated data and the streams.
    func allAccounts() throws -> [AccountRecord]
    func reportedBalances(from: String, through: String) throws -> [String: Int64]
    func bankStatedBalances(from: String, through: String) throws -> [String: Int64]
    func recordBankBalance(account: String, date: String, balance: Int64, source: String) throws
    func slipSides(through: String) throws -> [SlipSides]
    func lastBatchDates() throws -> [String: String]
    func changeCount(origin: OrgCode) throws -> Int64
    func firstActivityDates() throws -> [String: String]
    func accountOpeningDates() throws -> [String: String]
    func pendingGaps() throws -> [(peer: String, applied: Int64, firstWaiting: Int64, waiting: Int)]
    func registryVersions() throws -> [(peer: String, applied: Int64, current: Int64)]
    /// The release each office runs and what is held for it until it upgrades (issue 10, PROTOCOL.md §11.2–§11.4).
    func officeReleases() throws -> [OfficeRelease]
    func heldChanges(for peer: OrgCode?) throws -> [HeldChange]

    // Findings (`recon_finding`).
    func storeFindings(_ findings: [StoredFinding], from: String, through: String) throws
    func findings() throws -> [StoredFinding]

    // Bank statements (`bank_statement`, `bank_statement_entry`) and their match to the bank journal.
    func statements(account: String) throws -> [StatementRow]
    func statementListing(account: String?) throws -> [StatementListing]
    func storeStatements(_ statements: [(StatementRow, [StatementEntryRow])], windowDays: Int) throws -> [String: Int]
    @discardableResult
    func rematchStatementEntries(windowDays: Int) throws -> Int

    // Instructions to the banks (`bank_instruction`, `bank_message`), 7/7.
    func bankInstructions(state: BankInstructionState?) throws -> [BankInstructionRecord]
    func bankInstruction(_ endToEndID: String) throws -> BankInstructionRecord?
    func bankInstructionSummary() throws -> (counts: [String: Int], oldestUnconfirmedSentMilliseconds: Int64?)
    func claimBankInstructions(bank: String, messagePrefix: String, version: String, limit: Int, atMilliseconds: Int64,
                               write: (_ messageID: String, [BankInstructionRecord]) throws -> Data) throws -> UndeliveredBankMessage?
    func markBankMessageDelivered(_ messageID: String, atMilliseconds: Int64) throws
    func undeliveredBankMessages() throws -> [UndeliveredBankMessage]
    func requeueUndeliveredMessage(_ messageID: String, approvedBy: String?) throws
    func recordBankAnswers(_ answers: [BankAnswer], atMilliseconds: Int64) throws -> [BankInstructionRecord?]
    @discardableResult
    func recordBankAnswer(_ endToEndID: String, state: BankInstructionState, statusCode: String, reason: String?,
                          bookedOn: String?, atMilliseconds: Int64) throws -> BankInstructionRecord?
    func unmatchedStatementEntries(through: String) throws
        -> [(statement: String, line: Int, account: String, date: String, amount: Int64, reference: String)]
    func reconcilingItems(account: String, through date: String) throws
        -> (bankOnly: [(date: String, amount: Int64, reference: String)], booksOnly: [(date: String, amount: Int64, reference: String)])

    // Link health: security alerts on a signer's link, and links whose verified batches fail to apply.
    func raiseSecurityAlert(link: OrgCode, keyID: String, code: String, detail: String, fileHash: String, atMilliseconds: Int64) throws
    func securityAlerts() throws -> [SecurityAlert]
    func clearSecurityAlert(id: Int64, by operatorName: String, note: String, signature: String, atMilliseconds: Int64) throws -> Bool
    func recordApplyFailure(peer: OrgCode, message: String, atMilliseconds: Int64) throws
    func clearApplyFailures(peer: OrgCode) throws
    func linkFailures() throws -> [LinkFailure]

    // Reports and stream findings.
    func reportRows(_ query: ReportQuery) throws -> [[String: FieldValue]]
    func streamFindings() throws -> [StreamFinding]
}

/// The embedded backend: the hub's storage lives in the replica's SQLite file, behind the hub's own migrations.
extension ReplicaStore: HubStorage {}
