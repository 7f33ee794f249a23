import GRDB
import LedgerCore

/// What each office has booked in all its documents, at the hub (`Limits.officeVolumeMinorUnitsMax`): the bound that
/// keeps every 64-bit sum a report or reconciliation takes from overflowing. Hub-only storage (`office_volume`).
extension ReplicaTransaction {
    /// The amount `office` has booked so far (0 before its first document), including this transaction's documents.
    /// Read once per transaction and kept in memory: the hub's apply path asks for it once per document.
    public func officeVolume(_ office: OrgCode) throws -> Int64 {
        if let cached = officeVolumes[office] { return cached }
        let stored = try Int64.fetchOne(db.cachedStatement(sql: "SELECT amount FROM office_volume WHERE office = ?"),
                                        arguments: [office.rawValue]) ?? 0
        officeVolumes[office] = stored
        return stored
    }

    /// Adds `amount` to what `office` has booked; written back once, when the transaction flushes.
    /// - Throws: `amountOverflow` if the total would not fit 64 bits (the hub checks the cap before it applies).
    public func addOfficeVolume(_ office: OrgCode, _ amount: Int64) throws {
        guard amount > 0 else { return }
        let (total, overflow) = try officeVolume(office).addingReportingOverflow(amount)
        guard !overflow else { throw LedgerRuleViolation(.amountOverflow) }
        officeVolumes[office] = total
        changedOfficeVolumes.insert(office)
    }

    /// Writes the volumes this transaction changed (`flush`).
    func flushOfficeVolumes() throws {
        for office in changedOfficeVolumes.sorted(by: { $0.rawValue < $1.rawValue }) {
            try db.cachedStatement(sql: """
                INSERT INTO office_volume (office, amount) VALUES (?, ?) ON CONFLICT(office) DO UPDATE SET amount = excluded.amount
                """).execute(arguments: [office.rawValue, officeVolumes[office] ?? 0])
        }
        changedOfficeVolumes.removeAll()
    }
}
