/// Why a batch file was refused. Each code is one clear sentence for the clerk (`description`) and carries the
/// context needed to debug it; `byteOffset` says where in the file (or payload) the problem was found.
public struct BatchDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case empty
        case fileTooLarge(sizeBytes: Int, sizeBytesMax: Int)
        case notABatch
        case unsupportedFormatVersion(UInt8)
        case unsupportedAlgorithm(field: String, id: UInt8)
        case truncated(needBytes: Int)
        case trailingBytes(count: Int)
        case malformedHeader(String)
        case wrongRecipient(recipient: String, expected: String)
        case unknownKey(keyID: String, sender: String)
        case revokedKey(keyID: String, sender: String)
        case keyOfOtherOrg(keyID: String, keyOrg: String, sender: String)
        case badSignature
        case payloadHashMismatch
        /// Version 2: the payload is encrypted for `keyID`, and this office holds another encryption key or none.
        case encryptedForAnotherKey(keyID: String, ownKeyID: String?)
        /// Version 2: the payload does not decrypt and authenticate with this office's encryption key.
        case decryptionFailed(String)
        case payloadTooLarge(sizeBytes: Int, sizeBytesMax: Int)
        case payloadSizeMismatch(declaredBytes: Int, actualBytes: Int)
        case payloadLargerThanDeclared(declaredBytes: Int)
        case compressedDataCorrupt(String)
        case malformedPayload(String)
        case changeCountMismatch(declared: Int, actual: Int)
        /// A verified batch carries a change whose origin may not travel on its link (`BatchOriginRule`).
        case originNotAuthorised(origin: String, sender: String, changeIndex: Int)
    }

    public var code: Code
    /// Offset in the file (header errors) or in the uncompressed payload (payload errors); `nil` when not local.
    public var byteOffset: Int?

    public init(_ code: Code, byteOffset: Int? = nil) {
        self.code = code
        self.byteOffset = byteOffset
    }

    /// True when the batch's signature had verified before this refusal (the payload, its decryption or its
    /// origins were wrong): its bytes are then attributable to a known signer and worth keeping. Any other refusal
    /// proves nothing about who sent it, so an HTTP upload refused that way is not stored (issue 2/6, finding 4).
    public var isAuthenticated: Bool {
        switch code {
        case .encryptedForAnotherKey, .decryptionFailed, .payloadSizeMismatch, .payloadLargerThanDeclared, .compressedDataCorrupt,
             .malformedPayload, .changeCountMismatch, .originNotAuthorised:
            true
        default:
            false
        }
    }

    /// A short stable name for the code, used in quarantine `.reason` files and tests.
    public var name: String {
        switch code {
        case .empty: "empty"
        case .fileTooLarge: "file-too-large"
        case .notABatch: "not-a-batch"
        case .unsupportedFormatVersion: "unsupported-format-version"
        case .unsupportedAlgorithm: "unsupported-algorithm"
        case .truncated: "truncated"
        case .trailingBytes: "trailing-bytes"
        case .malformedHeader: "malformed-header"
        case .wrongRecipient: "wrong-recipient"
        case .unknownKey: "unknown-key"
        case .revokedKey: "revoked-key"
        case .keyOfOtherOrg: "key-of-other-org"
        case .badSignature: "bad-signature"
        case .payloadHashMismatch: "payload-hash-mismatch"
        case .encryptedForAnotherKey: "encrypted-for-another-key"
        case .decryptionFailed: "decryption-failed"
        case .payloadTooLarge: "payload-too-large"
        case .payloadSizeMismatch: "payload-size-mismatch"
        case .payloadLargerThanDeclared: "payload-larger-than-declared"
        case .compressedDataCorrupt: "compressed-data-corrupt"
        case .malformedPayload: "malformed-payload"
        case .changeCountMismatch: "change-count-mismatch"
        case .originNotAuthorised: "origin-not-authorised"
        }
    }

    public var description: String {
        let at = byteOffset.map { " (at byte \($0))" } ?? ""
        switch code {
        case .empty: return "the file is empty"
        case .fileTooLarge(let size, let max): return "the file is \(size) bytes, over the limit of \(max) bytes"
        case .notABatch: return "the file is not a FundSync batch (wrong magic bytes)"
        case .unsupportedFormatVersion(let version):
            return "batch format version \(version) is not supported (this build reads versions 1 and 2)"
        case .unsupportedAlgorithm(let field, let id): return "unsupported \(field) algorithm id \(id)"
        case .truncated(let need): return "the file is truncated: \(need) more bytes were expected\(at)"
        case .trailingBytes(let count): return "the file has \(count) unexpected bytes after the signature"
        case .malformedHeader(let reason): return "the batch header is malformed: \(reason)\(at)"
        case .wrongRecipient(let recipient, let expected):
            return "the batch is addressed to \(recipient), not to this node (\(expected))"
        case .unknownKey(let keyID, let sender): return "the batch from \(sender) is signed by unknown key \(keyID)"
        case .revokedKey(let keyID, let sender): return "the batch from \(sender) is signed by revoked key \(keyID)"
        case .keyOfOtherOrg(let keyID, let keyOrg, let sender):
            return "the batch claims to come from \(sender) but is signed by key \(keyID) of \(keyOrg)"
        case .badSignature: return "the signature does not match the header: the file was altered or signed by another key"
        case .payloadHashMismatch: return "the payload does not match the hash in the signed header: the file was altered"
        case .encryptedForAnotherKey(let keyID, let ownKeyID):
            return "the batch is encrypted for another key (\(keyID)); "
                + (ownKeyID.map { "this office's encryption key is \($0)" } ?? "this office has no encryption key")
        case .decryptionFailed(let reason): return "the encrypted payload cannot be decrypted: \(reason)"
        case .payloadTooLarge(let size, let max):
            return "the payload declares \(size) bytes, over the limit of \(max) bytes"
        case .payloadSizeMismatch(let declared, let actual):
            return "the payload inflates to \(actual) bytes but the header declares \(declared)"
        case .payloadLargerThanDeclared(let declared):
            return "the payload inflates to more than the \(declared) bytes its header declares"
        case .compressedDataCorrupt(let reason): return "the compressed payload is corrupt: \(reason)"
        case .malformedPayload(let reason): return "the payload is malformed: \(reason)\(at)"
        case .changeCountMismatch(let declared, let actual):
            return "the payload holds \(actual) changes but the header declares \(declared)"
        case .originNotAuthorised(let origin, let sender, let index):
            return "the batch signed by \(sender) carries a change of \(origin) (change \(index + 1)); \(sender) may send only "
                + "its own changes, so the whole batch is refused and nothing in it is recorded"
        }
    }
}
