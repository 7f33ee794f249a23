import Foundation
import SyncAPI
import SyncTesting
import Testing

/// The pull-header fuzz target's properties (Fuzz/PullHeader, run by `Scripts/fuzz` under libFuzzer) checked in every
/// CI run on a fixed, seeded corpus: 20,000 mutations of a valid header and of the shapes that once trapped the hub
/// (issue 2/6 finding 2). Every value either parses or throws `PullAuthorizationError`; one that parses prints back to
/// itself; the time arithmetic never traps and a skew is never negative, for any clock.
@Suite struct PullHeaderCorpusTests {
    static let seeds = [
        "v1 key=d22a67aae11ffeec time=1764662400000 nonce=00112233445566778899aabbccddeeff sig=" + Data(count: 64).base64EncodedString(),
        "v1 key=x time=-9223372036854775808 nonce=00112233445566778899aabbccddeeff sig=AA==",
        "v1 key=x time=9223372036854775807 nonce=00112233445566778899aabbccddeeff sig=AA==",
    ]
    static let alphabet = Array("v1 key=time=nonce=sig=0123456789abcdefABCDEF+-/=\u{0}\n\t é汉".unicodeScalars)

    static func mutate(_ value: String, _ random: inout SeededGenerator) -> String {
        var scalars = Array(value.unicodeScalars)
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let index = scalars.isEmpty ? 0 : Int.random(in: 0..<scalars.count, using: &random)
            switch Int.random(in: 0..<4, using: &random) {
            case 0 where !scalars.isEmpty: scalars.remove(at: index)
            case 1: scalars.insert(alphabet[Int.random(in: 0..<alphabet.count, using: &random)], at: index)
            case 2 where !scalars.isEmpty: scalars[index] = alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
            default: scalars.insert(contentsOf: Array("\(Int64.random(in: .min ... .max, using: &random))".unicodeScalars), at: index)
            }
        }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars)
        return String(text)
    }

    @Test func mutatedHeadersParseOrAreRefusedAndTheirTimesNeverTrap() throws {
        var random = SeededGenerator(seed: 20_261_203)
        var parsed = 0, refused = 0
        for round in 0..<20_000 {
            let value = Self.mutate(Self.seeds[round % Self.seeds.count], &random)
            let proof: PullAuthorization
            do {
                proof = try PullAuthorization.parse(value)
            } catch {
                refused += 1
                continue
            }
            parsed += 1
            #expect(try PullAuthorization.parse(proof.headerValue) == proof, "\(value)")
            for now in [Int64.min, -1, 0, 1, .max, proof.timeMilliseconds] {
                #expect(PullAuthorization.skewMilliseconds(now: now, time: proof.timeMilliseconds) >= 0)
            }
            for window in [Int64(0), 300_000, .max] {
                _ = PullAuthorization.nonceExpiryMilliseconds(time: proof.timeMilliseconds, windowMilliseconds: window)
            }
        }
        #expect(parsed > 100 && refused > 100, "the corpus reaches both outcomes: \(parsed) parsed, \(refused) refused")
    }

    @Test func theArithmeticSaturatesAtTheExtremes() {
        #expect(PullAuthorization.skewMilliseconds(now: .max, time: .min) == .max)
        #expect(PullAuthorization.skewMilliseconds(now: 0, time: .min) == .max)
        #expect(PullAuthorization.skewMilliseconds(now: 5, time: 8) == 3)
        #expect(PullAuthorization.nonceExpiryMilliseconds(time: .max, windowMilliseconds: 300_000) == .max)
        #expect(PullAuthorization.nonceExpiryMilliseconds(time: 1_000, windowMilliseconds: 300_000) == 301_000)
    }
}
