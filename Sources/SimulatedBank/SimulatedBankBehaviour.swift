/// How the simulated bank misbehaves (7/7 item 3): every fault a real bank or its front-end machine shows, on
/// chosen end-to-end ids, so a test or the demo plants exactly the fault it wants.
public struct SimulatedBankBehaviour: Codable, Sendable, Equatable {
    /// Instructions the bank rejects, with the ISO reason code and the bank's text (`AC04`, "收款账户已销户").
    public var rejects: [String: SimulatedBankReason]
    /// Instructions whose answers (status and booking notice) are held back until the next run: a slow bank.
    public var delays: Set<String>
    /// Instructions whose answers are never written: the bank pays but says nothing (only the statement shows it).
    public var drops: Set<String>
    /// Write every status report twice: the hub must apply an answer once.
    public var duplicatesAnswers: Bool
    /// Pay an end-to-end id again when it comes again, as many real banks do (DECISIONS: the exactly-once test must also
    /// pass against such a bank); otherwise a repeated id is rejected with `AM05` (duplication).
    public var acceptsDuplicates: Bool

    public init(rejects: [String: SimulatedBankReason] = [:], delays: Set<String> = [], drops: Set<String> = [],
                duplicatesAnswers: Bool = false, acceptsDuplicates: Bool = false) {
        self.rejects = rejects
        self.delays = delays
        self.drops = drops
        self.duplicatesAnswers = duplicatesAnswers
        self.acceptsDuplicates = acceptsDuplicates
    }
}

/// A reason the simulated bank gives.
public struct SimulatedBankReason: Codable, Sendable, Equatable {
    public var code: String
    public var text: String

    public init(code: String, text: String) {
        self.code = code
        self.text = text
    }
}
