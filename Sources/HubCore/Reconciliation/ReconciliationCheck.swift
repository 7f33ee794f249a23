/// The checks of DESIGN.md §5, each reported per org unit and business day (or per period) with the
/// consolidation level it affects.
public enum ReconciliationCheck: String, CaseIterable, Sendable, Codable {
    /// §5.1: a unit's postings of one day: debits = credits.
    case trialBalance = "trial_balance"
    /// §5.3: the balance a unit reported for a bank account differs from its books.
    case balanceDifference = "balance_difference"
    /// §5.3: a unit did not report a bank account's balance for a business day ("no data" is never zero).
    case notReported = "not_reported"
    /// Issue 9: the unit's batches are failing to apply at the hub (storage, I/O): its reports may be in them, so the
    /// missing ones are not the unit's fault. One finding per unit instead of a `not_reported` per account and day.
    case streamBlocked = "stream_blocked"
    /// §5.2: a slip booked by one side only.
    case slipOneSided = "slip_pairing"
    /// §5.2: the two sides booked different amounts, or an amount different from the slip's.
    case slipAmountMismatch = "slip_amount_mismatch"
    /// §5.2: funds in transit longer than the configured days (`in_transit_aging_days`).
    case inTransitAged = "in_transit_aged"
    /// §5.4: 2242.02 at the centre ≠ − the branch's intercompany balance.
    case internalAccounts = "internal_accounts"
    /// §5.5: intercompany balances of a consolidation level do not eliminate to zero.
    case elimination
    /// §5.6: a node's counters have a gap at the hub (changes waiting for a missing one).
    case counterGap = "completeness"
    /// §5.6: a node has not applied the registry version the hub sent it.
    case registryStale = "registry_stale"
    /// §5.7: money in banks and in transit ≠ opening + external receipts − external payments.
    case conservation
    /// §5.1: a bank statement entry with no booking in the bank journal.
    case statementUnbooked = "statement"
}
