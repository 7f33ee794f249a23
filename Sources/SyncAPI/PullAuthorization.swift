import BatchWire
import Foundation
import LedgerCore

/// Proof that a request to pull a node's batches comes from someone entitled to them.
///
/// Uploads need no such proof: a batch is signed, and the hub verifies it against the sender's enrolled key before it
/// looks at anything else. A download has no batch of the caller's to verify, yet it must not be served to anyone who
/// can reach the port: the hub's batches for a county carry that county's registry, allocations and rejections, and
/// serving one marks the hub's acknowledgement as sent. So the caller signs the request itself, with the same kind of
/// key that signs its batches:
///
/// ```
/// FundSync-Pull-Authorization: v1 key=<keyID> time=<unix ms> nonce=<32 hex> sig=<base64>
/// signed message (UTF-8, LF-separated): "FundSync pull v1", "GET <path>", <keyID>, <time>, <nonce>
/// ```
///
/// The hub accepts it when the key is enrolled and active, belongs to the node in the path **or to an org unit above
/// it** (a city office relaying for its counties holds its own key, never theirs), the signature verifies, `time` is
/// within `clockSkewMillisecondsMax` of the hub's clock, and the nonce has not been seen inside that window (no
/// replay). The path is in the signed message, so a proof for one node cannot be used for another.
public struct PullAuthorization: Hashable, Sendable {
    /// The version tag of this scheme; a new scheme is a new tag, never a new meaning for this one (STYLE.md R10).
    public static let schemeVersion = "v1"
    static let domain = "FundSync pull v1"

    public var keyID: String
    public var timeMilliseconds: Int64
    /// 16 random bytes in hex: makes every proof unique so the hub can refuse a replayed one.
    public var nonce: String
    public var signature: [UInt8]

    /// The bytes that are signed for `path`.
    public static func message(path: String, keyID: String, timeMilliseconds: Int64, nonce: String) -> [UInt8] {
        Array([domain, "GET \(path)", keyID, String(timeMilliseconds), nonce].joined(separator: "\n").utf8)
    }

    /// Signs a pull of `path` with `key`.
    /// - Parameters:
    ///   - nonce: 16 bytes from the caller's random generator (R5: randomness is injected).
    public static func sign(path: String, key: SigningKey, timeMilliseconds: Int64, nonce: [UInt8]) throws -> PullAuthorization {
        precondition(nonce.count == 16, "a pull nonce is 16 bytes")
        let nonceText = nonce.map { String(format: "%02x", $0) }.joined()
        let keyID = key.publicKey.keyID
        let signature = try key.sign(message(path: path, keyID: keyID, timeMilliseconds: timeMilliseconds, nonce: nonceText)[...])
        return PullAuthorization(keyID: keyID, timeMilliseconds: timeMilliseconds, nonce: nonceText, signature: signature)
    }

    /// The header value.
    public var headerValue: String {
        "\(Self.schemeVersion) key=\(keyID) time=\(timeMilliseconds) nonce=\(nonce) sig=\(Data(signature).base64EncodedString())"
    }

    /// Parses a header value.
    /// - Throws: `malformed` for anything that is not exactly the `v1` shape.
    public static func parse(_ value: String) throws(PullAuthorizationError) -> PullAuthorization {
        guard value.utf8.count <= 1_024 else { throw PullAuthorizationError(.malformed("the header is too long")) }
        let parts = value.split(separator: " ")
        guard parts.first == Substring(schemeVersion) else {
            throw PullAuthorizationError(.malformed("unknown scheme '\(parts.first ?? "")' (expected \(schemeVersion))"))
        }
        var fields: [String: String] = [:]
        for part in parts.dropFirst() {
            guard let equals = part.firstIndex(of: "=") else { throw PullAuthorizationError(.malformed("'\(part)' is not name=value")) }
            fields[String(part[..<equals])] = String(part[part.index(after: equals)...])
        }
        guard fields.count == 4, let keyID = fields["key"], !keyID.isEmpty, keyID.count <= 64,
              let time = fields["time"].flatMap({ Int64($0) }),
              let nonce = fields["nonce"], nonce.count == 32, nonce.allSatisfy(\.isHexDigit),
              let signatureText = fields["sig"], let signature = Data(base64Encoded: signatureText),
              (1...BatchFormat.signatureBytesMax).contains(signature.count) else {
            throw PullAuthorizationError(.malformed("expected key=, time=, nonce= (32 hex) and sig= (base64)"))
        }
        return PullAuthorization(keyID: keyID, timeMilliseconds: time, nonce: nonce.lowercased(), signature: [UInt8](signature))
    }
}

extension PullAuthorization {
    /// `|now − time|` in milliseconds, saturated at `Int64.max` instead of trapping: `time` is outside data and any
    /// Int64 may arrive (issue 2/6 finding 2: `time=-9223372036854775808` once trapped the hub).
    public static func skewMilliseconds(now: Int64, time: Int64) -> Int64 {
        let (difference, overflow) = now.subtractingReportingOverflow(time)
        guard !overflow else { return .max }
        return difference == .min ? .max : abs(difference)
    }

    /// Until when a nonce signed at `time` must be remembered (`time + window`), saturated at `Int64.max`.
    public static func nonceExpiryMilliseconds(time: Int64, windowMilliseconds: Int64) -> Int64 {
        let (expiry, overflow) = time.addingReportingOverflow(windowMilliseconds)
        return overflow ? (windowMilliseconds > 0 ? .max : .min) : expiry
    }
}

/// Why a pull was not authorized. `HubServer` maps these to 401 or 403 (`HubAPIError`).
public struct PullAuthorizationError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case missing
        case malformed(String)
        case clockSkew(skewMilliseconds: Int64, skewMillisecondsMax: Int64)
        case unknownKey(keyID: String)
        case revokedKey(keyID: String)
        case notEntitled(keyOrg: String, node: String)
        case badSignature
        case replayed
        case tooManyPulls(nonceCountMax: Int)
        /// One key pulled more than its share inside the window (a per-node rate limit): only that key waits.
        case tooManyPullsForKey(keyID: String, nonceCountMax: Int)
        /// Signed before this hub server started: nonces are not kept across a restart, so such a proof could be a replay.
        case signedBeforeStart
    }

    public var code: Code

    public init(_ code: Code) { self.code = code }

    /// A short stable name for the code (in the JSON body and the logs).
    public var name: String {
        switch code {
        case .missing: "authorization-missing"
        case .malformed: "authorization-malformed"
        case .clockSkew: "clock-skew"
        case .unknownKey: "unknown-key"
        case .revokedKey: "revoked-key"
        case .notEntitled: "not-entitled"
        case .badSignature: "bad-signature"
        case .replayed: "replayed"
        case .tooManyPulls, .tooManyPullsForKey: "too-many-pulls"
        case .signedBeforeStart: "signed-before-restart"
        }
    }

    public var description: String {
        switch code {
        case .missing: "a pull needs a \(HubAPI.pullAuthorizationHeader) header signed by the node's key"
        case .malformed(let reason): "the \(HubAPI.pullAuthorizationHeader) header is malformed: \(reason)"
        case .clockSkew(let skew, let max):
            "the request's time differs from the hub's clock by \(skew / 1_000) s, more than \(max / 1_000) s: check this office's clock"
        case .unknownKey(let keyID): "key \(keyID) is not enrolled at the hub"
        case .revokedKey(let keyID): "key \(keyID) has been revoked"
        case .notEntitled(let keyOrg, let node): "a key of \(keyOrg) may not pull the batches of \(node)"
        case .badSignature: "the signature of the pull request does not verify"
        case .replayed: "this pull request was already used (replayed nonce)"
        case .tooManyPulls(let max): "more than \(max) pulls inside the clock-skew window: try again shortly"
        case .tooManyPullsForKey(let keyID, let max):
            "key \(keyID) made more than \(max) pulls inside the clock-skew window: try again shortly"
        case .signedBeforeStart: "this pull request was signed before the hub last started; sign a new one (check this office's clock)"
        }
    }
}
