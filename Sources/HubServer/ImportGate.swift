/// Bounds the uploads the hub holds at once — being opened, waiting for the group commit, or being applied — by count
/// and by their bytes, and how many may wait for a turn (2/6 finding 4, 5/6).
///
/// What unbounded concurrency cost was memory (every upload's decoded batch held at once) and threads (blocking work
/// starving the reads `/healthz` and `/metrics` need). Many small uploads may be in flight together, so that they
/// share one commit (`GroupCommit`); large ones go a few at a time (`bytesMax`; an upload larger than that goes
/// alone). Turns are taken first come, first served. Past `waitingCountMax` an upload is answered 503 `busy` at once,
/// with `Retry-After`, instead of queueing without end; its sender retries with jitter.
actor ImportGate {
    let concurrencyMax: Int
    let bytesMax: Int
    let waitingCountMax: Int
    let waitingBytesMax: Int
    private var active = 0
    private var activeBytes = 0
    private var waitingBytes = 0
    private var waiting: [(bytes: Int, continuation: CheckedContinuation<Void, Never>)] = []

    init(concurrencyMax: Int, bytesMax: Int = Int.max, waitingCountMax: Int, waitingBytesMax: Int = Int.max) {
        precondition(concurrencyMax >= 1 && bytesMax >= 1 && waitingCountMax >= 0 && waitingBytesMax >= 1, "import gate limits out of range")
        self.concurrencyMax = concurrencyMax
        self.bytesMax = bytesMax
        self.waitingCountMax = waitingCountMax
        self.waitingBytesMax = waitingBytesMax
    }

    /// Takes a turn for an upload of `bytes`, waiting for one if the gate is full or others wait before it.
    /// - Throws: `HubAPIError.busy` when `waitingCountMax` uploads, or `waitingBytesMax` bytes of them, already wait
    ///   (one upload may always wait, however large, so a large batch is never refused for its size alone).
    func enter(bytes: Int = 0) async throws(HubAPIError) {
        if waiting.isEmpty && fits(bytes) {
            active += 1
            activeBytes += bytes
            return
        }
        guard waiting.count < waitingCountMax, waiting.isEmpty || waitingBytes + bytes <= waitingBytesMax else {
            throw HubAPIError.busy(retryAfterSeconds: 1)
        }
        waitingBytes += bytes
        await withCheckedContinuation { waiting.append((bytes, $0)) }  // the turn is handed over by `leave`
    }

    /// Frees the turn of an upload of `bytes` and admits the waiting uploads that now fit, in order.
    func leave(bytes: Int = 0) {
        active -= 1
        activeBytes -= bytes
        while let next = waiting.first, fits(next.bytes) {
            waiting.removeFirst()
            waitingBytes -= next.bytes
            active += 1
            activeBytes += next.bytes
            next.continuation.resume()
        }
    }

    private func fits(_ bytes: Int) -> Bool {
        active == 0 || (active < concurrencyMax && activeBytes + bytes <= bytesMax)
    }

    /// Uploads holding a turn now and waiting now (for tests and metrics).
    var counts: (active: Int, waiting: Int) { (active, waiting.count) }

    /// Runs `body` in a turn for an upload of `bytes`.
    func withTurn<T: Sendable>(bytes: Int = 0, _ body: @Sendable () async throws -> T) async throws -> T {
        try await enter(bytes: bytes)
        do {
            let result = try await body()
            leave(bytes: bytes)
            return result
        } catch {
            leave(bytes: bytes)
            throw error
        }
    }
}
