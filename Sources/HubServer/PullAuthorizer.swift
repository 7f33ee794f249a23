import BatchWire
import Foundation
import HubCore
import LedgerCore
import SyncAPI

/// Checks `PullAuthorization` proofs against the hub's registry (enrolled keys, org tree) and remembers the nonces
/// it accepted inside the clock-skew window, so a captured request cannot be replayed.
///
/// Nonces are kept per key, each key with its own cap (a per-node rate limit: one node's pulls never use up another's
/// window), under a global cap that bounds memory. They live in memory only; instead of persisting them, the window is
/// closed at the start: a proof signed before this server started is refused (`signedBeforeStart`), so a restart cannot
/// reopen it. An honest office signs each request anew; one whose clock is behind the hub's by *d* waits at most *d*
/// after a restart.
final class PullAuthorizer: Sendable {
    let hub: Hub
    let clockSkewMillisecondsMax: Int64
    let nonces: PullNonceCache
    /// The hub's clock when this server started.
    let startedAtMilliseconds: Int64

    init(hub: Hub, clockSkewMillisecondsMax: Int64, nonceCountMax: Int, nonceCountMaxPerKey: Int, startedAtMilliseconds: Int64) {
        self.hub = hub
        self.clockSkewMillisecondsMax = clockSkewMillisecondsMax
        self.nonces = PullNonceCache(countMax: nonceCountMax, countMaxPerKey: nonceCountMaxPerKey)
        self.startedAtMilliseconds = startedAtMilliseconds
    }

    /// Authorizes a pull of `node`'s batches at `path` by the header `value` (nil when absent).
    /// - Throws: `PullAuthorizationError` for a refused pull; a storage error as it is (answered 500, never taken
    ///   for an unknown key).
    func authorize(_ value: String?, node: OrgCode, path: String, nowMilliseconds: Int64) throws {
        guard let value else { throw PullAuthorizationError(.missing) }
        let proof = try PullAuthorization.parse(value)
        // The time is outside data: any Int64 may arrive, so the difference is taken without trapping, and one
        // that does not fit counts as the largest skew there is.
        let skew = PullAuthorization.skewMilliseconds(now: nowMilliseconds, time: proof.timeMilliseconds)
        guard skew <= clockSkewMillisecondsMax else {
            throw PullAuthorizationError(.clockSkew(skewMilliseconds: skew, skewMillisecondsMax: clockSkewMillisecondsMax))
        }
        guard proof.timeMilliseconds >= startedAtMilliseconds else { throw PullAuthorizationError(.signedBeforeStart) }
        guard let record = try hub.store.read({ try $0.nodeKey(proof.keyID) }) else {
            throw PullAuthorizationError(.unknownKey(keyID: proof.keyID))
        }
        guard record.status == .active else { throw PullAuthorizationError(.revokedKey(keyID: proof.keyID)) }
        guard record.org != hub.org, try isEntitled(record.org, toPullFor: node) else {
            throw PullAuthorizationError(.notEntitled(keyOrg: record.org.rawValue, node: node.rawValue))
        }
        let message = PullAuthorization.message(path: path, keyID: proof.keyID, timeMilliseconds: proof.timeMilliseconds,
                                                nonce: proof.nonce)
        guard let key = try? PublicKey.cached(pem: record.publicKeyPEM), key.algorithm == record.algorithm,
              key.verify(signature: proof.signature[...], message: message[...]) else {
            throw PullAuthorizationError(.badSignature)
        }
        try nonces.insert(proof.nonce, keyID: proof.keyID, timeMilliseconds: proof.timeMilliseconds, nowMilliseconds: nowMilliseconds,
                          windowMilliseconds: clockSkewMillisecondsMax)
    }


    /// A key of `keyOrg` may pull for `node` when it is `node`'s own or that of an org unit above it (a relay).
    func isEntitled(_ keyOrg: OrgCode, toPullFor node: OrgCode) throws -> Bool {
        if keyOrg == node { return true }
        let units = try hub.store.read { try $0.orgUnits() }
        let parents = Dictionary(units.compactMap { unit in unit.parent.map { (unit.code, $0) } }, uniquingKeysWith: { first, _ in first })
        var current = node
        var steps = 0
        while let parent = parents[current], steps < units.count {
            if parent == keyOrg { return true }
            current = parent
            steps += 1
        }
        return false
    }
}

/// The nonces of accepted pulls per key, each kept until its request time leaves the window; at most `countMaxPerKey`
/// per key and `countMax` in all.
final class PullNonceCache: @unchecked Sendable {
    // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var expiries: [String: [String: Int64]] = [:]
    private var total = 0
    let countMax: Int
    let countMaxPerKey: Int

    init(countMax: Int, countMaxPerKey: Int) {
        precondition(countMax >= 1 && countMaxPerKey >= 1, "nonce caps must be at least 1")
        self.countMax = countMax
        self.countMaxPerKey = countMaxPerKey
    }

    /// Records `nonce` for `keyID`, refusing one already recorded for that key.
    func insert(_ nonce: String, keyID: String, timeMilliseconds: Int64, nowMilliseconds: Int64,
                windowMilliseconds: Int64) throws(PullAuthorizationError) {
        let outcome: PullAuthorizationError.Code? = lock.withLock {
            var forKey = expiries[keyID] ?? [:]
            if forKey[nonce] != nil { return .replayed }
            if forKey.count >= countMaxPerKey {
                let before = forKey.count
                forKey = forKey.filter { $0.value >= nowMilliseconds }
                total -= before - forKey.count
                expiries[keyID] = forKey
            }
            guard forKey.count < countMaxPerKey else { return .tooManyPullsForKey(keyID: keyID, nonceCountMax: countMaxPerKey) }
            if total >= countMax {
                expiries = expiries.mapValues { $0.filter { $0.value >= nowMilliseconds } }.filter { !$0.value.isEmpty }
                total = expiries.values.reduce(0) { $0 + $1.count }
                forKey = expiries[keyID] ?? [:]
            }
            guard total < countMax else { return .tooManyPulls(nonceCountMax: countMax) }
            // A nonce must be remembered for as long as its time stays acceptable: time + window.
            forKey[nonce] = PullAuthorization.nonceExpiryMilliseconds(time: timeMilliseconds, windowMilliseconds: windowMilliseconds)
            expiries[keyID] = forKey
            total += 1
            return nil
        }
        if let outcome { throw PullAuthorizationError(outcome) }
    }

    var count: Int { lock.withLock { total } }
}
