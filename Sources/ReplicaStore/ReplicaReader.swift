import LedgerCore

/// What a read-only transaction may do: look things up. `ReplicaStore.read` hands out only this, so code that
/// reads cannot write (GRDB separates `DatabaseReader` from `DatabaseWriter` the same way); `ReplicaStore.write`
/// hands out the whole `ReplicaTransaction`, whose writes all go through the change log.
///
/// Every lookup throws only when the replica cannot be read (storage), never to mean "not found".
public protocol ReplicaReader: LedgerLookup {
    var org: OrgCode { get }
    var role: ReplicaRole { get }
    var vector: VersionVector { get }
    func nowMilliseconds() -> Int64

    // The registry.
    func orgUnit(_ code: OrgCode) throws -> OrgUnit?
    func orgUnits() throws -> [OrgUnit]
    func nodeKey(_ keyID: String) throws -> NodeKeyRecord?
    func nodeKeys() throws -> [NodeKeyRecord]
    func account(_ id: String, asOf date: BusinessDate) throws -> AccountRecord?
    func accountAttributes(_ id: String) throws -> (purpose: String?, retainedBalance: Int64?, statusFrom: String?, accountClass: String?)
    func accounts(of org: OrgCode) throws -> [AccountRecord]
    func staffMember(_ id: String) throws -> StaffMember?
    func staffCertificate(_ keyID: String) throws -> StaffCertificate?
    func staffCertificates(of staff: String) throws -> [StaffCertificate]
    func allStaffCertificates() throws -> [StaffCertificate]
    func staffIDs() throws -> [String]
    func registryVersion() throws -> Int64
    func approvalRules(asOf date: BusinessDate) throws -> [ApprovalRule]
    func rateTable() throws -> RateTable
    func parameter(_ name: String, asOf date: BusinessDate) throws -> String?
    func periodLock() throws -> PeriodLock
    func businessCalendar() throws -> BusinessCalendar
    func branchesWithInternalAccounts(hub: OrgCode) throws -> [OrgCode]
    func lookup(asOf date: BusinessDate) -> AsOfLedgerLookup

    // The books and documents.
    func voucher(of change: Change) throws(LedgerRuleViolation) -> Voucher
    func voucherExists(_ id: String) throws -> Bool
    func bookBalance(_ account: String, through date: BusinessDate) throws -> AmountMinorUnits
    func bankJournalBalance(_ account: String, through date: BusinessDate) throws -> AmountMinorUnits
    func availableBalance(_ account: String, through date: BusinessDate, excludingPayment excluding: String?) throws -> AmountMinorUnits
    func approvedApplicationTotal(org: OrgCode, category: String, month date: BusinessDate, excluding id: String) throws -> AmountMinorUnits
    func document(_ table: ReplicatedTable, _ id: String) throws -> [String: FieldValue]?
    func contract(_ id: String) throws -> InternalContract?
    func confirmedThrough(_ org: OrgCode) throws -> BusinessDate?
    func overdraftLine(_ org: OrgCode, on date: BusinessDate) throws -> OverdraftLine
    func overdraftRoom(for account: String, on date: BusinessDate, excludingPayment excluding: String?) throws -> AmountMinorUnits
    func contracts(branch: OrgCode?, activeOnly: Bool) throws -> [InternalContract]
    func documentVector(_ kind: StatefulDocument, _ id: String) throws -> VersionVector?
    func dailyBalances(_ account: String, from: BusinessDate, through: BusinessDate) throws -> [InterestCalculator.DailyBalance]
    func vouchers(source: String) throws -> [Voucher]
    func voucherSources(prefix: String) throws -> [String]
    func voucherExists(withSource source: String) throws -> Bool
    func forecasts(period: String) throws -> [(id: String, org: OrgCode, total: AmountMinorUnits)]
    func allocationOrder(forApplication id: String) throws -> String?
    func hasAllocation(branch: OrgCode, period: String) throws -> Bool
    func openSlips(kind: String, amount: AmountMinorUnits?) throws -> [String]
    func isLogged(_ id: ChangeID) throws -> Bool
    func officeStatements(account: String?) throws -> [StoredStatement]
    func bankJournalLines(account: String) throws -> [StatementMatcher.JournalLine]
    func accountTimeZones() throws -> [String: String]
}

extension ReplicaTransaction: ReplicaReader {}
