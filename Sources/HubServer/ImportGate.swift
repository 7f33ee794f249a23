/// Bounds how many uploads the hub applies at once, and how many may wait for a turn (2/6 finding 4).
///
/// SQLite applies one write transaction at a time anyway; what unbounded concurrency cost was memory (every upload's
/// decoded batch held at once) and threads (blocking work starving the reads `/healthz` and `/metrics` need). Past
/// `waitingCountMax` an upload is answered 503 `busy` at once, with `Retry-After`, instead of queueing without end; its
/// sender retries with jitter.
actor ImportGate {
    let concurrencyMax: Int
    let waitingCountMax: Int
    private var active = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(concurrencyMax: Int, waitingCountMax: Int) {
        precondition(concurrencyMax >= 1 && waitingCountMax >= 0, "import gate limits out of range")
        self.concurrencyMax = concurrencyMax
        self.waitingCountMax = waitingCountMax
    }

    /// Takes a turn, waiting for one if every slot is busy.
    /// - Throws: `HubAPIError.busy` when `waitingCountMax` uploads are already waiting.
    func enter() async throws(HubAPIError) {
        if active < concurrencyMax {
            active += 1
            return
        }
        guard waiting.count < waitingCountMax else { throw HubAPIError.busy(retryAfterSeconds: 1) }
        await withCheckedContinuation { waiting.append($0) }  // the slot is handed over by `leave`
    }

    /// Gives the turn to the next waiting upload, or frees the slot.
    func leave() {
        if waiting.isEmpty {
            active -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }

    /// Uploads applying now and waiting now (for tests and metrics).
    var counts: (active: Int, waiting: Int) { (active, waiting.count) }

    /// Runs `body` in a turn.
    func withTurn<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await enter()
        do {
            let result = try await body()
            leave()
            return result
        } catch {
            leave()
            throw error
        }
    }
}
