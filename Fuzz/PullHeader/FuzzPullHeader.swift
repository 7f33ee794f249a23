import SyncAPI

/// libFuzzer entry for the pull header (`FundSync-Pull-Authorization`), the one input the hub reads before any
/// signature has been checked (issue 2/6 finding 2: one such header once trapped the hub on arithmetic overflow).
/// The input is the header value as bytes. Every path must return or throw `PullAuthorizationError`; a crash or trap
/// is a bug. A value that parses must print back to a value that parses to the same proof, and the time arithmetic
/// the hub does with it must not trap for any clock.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPullHeader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let value = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let proof = try? PullAuthorization.parse(value) else { return 0 }
    guard let again = try? PullAuthorization.parse(proof.headerValue), again == proof else {
        fatalError("a parsed pull header does not print back to itself: \(value)")
    }
    for now in [Int64.min, -1, 0, 1, Int64.max, proof.timeMilliseconds] {
        let skew = PullAuthorization.skewMilliseconds(now: now, time: proof.timeMilliseconds)
        precondition(skew >= 0, "a skew is never negative")
    }
    for window in [Int64(0), 300_000, Int64.max] {
        _ = PullAuthorization.nonceExpiryMilliseconds(time: proof.timeMilliseconds, windowMilliseconds: window)
    }
    return 0
}
