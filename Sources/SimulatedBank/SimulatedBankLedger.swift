import LedgerCore

/// What the simulated bank remembers between runs (a JSON file in its folder, so a restarted bank still knows every
/// end-to-end id it has seen, like a real one).
struct SimulatedBankLedger: Codable, Equatable {
    /// How many times each end-to-end id was paid.
    var paid: [String: Int] = [:]
    /// Every end-to-end id the bank has received, paid or not.
    var received: Set<String> = []
    /// Answers held back (``SimulatedBankBehaviour/delays``), written on the next run.
    var held: [HeldAnswer] = []
    /// Money out per account and day, for the end-of-day statement.
    var bookings: [Booking] = []
    /// Answer files written, to number them.
    var filesWritten = 0

    struct HeldAnswer: Codable, Equatable {
        var messageID: String
        var groupID: String
        var endToEndID: String
        var account: String
        var currency: String
        var amountMinorUnits: Int64
        var creditor: String
        var remittance: String
    }

    struct Booking: Codable, Equatable {
        var account: String
        var currency: String
        var date: String
        var endToEndID: String
        var amountMinorUnits: Int64
        var creditor: String
        var reference: String
    }
}
