import LedgerCore

/// How a receiver resolves the key a batch names: the key, or the specific reason it cannot be used.
public enum KeyResolution: Sendable {
    case key(PublicKey)
    case unknown
    case revoked
    case otherOrg(OrgCode)
}

/// The receiving pipeline for one batch file, in the order that refuses bad input cheapest-first and never
/// decrypts or inflates unauthenticated bytes: structure → addressee → key → signature → payload hash →
/// decryption (version 2) → payload.
public enum BatchOpener {
    /// Opens `file` for `recipient`.
    /// - Parameters:
    ///   - decryptionKey: the receiver's own encryption key, for encrypted (version 2) batches; without one an
    ///     encrypted batch is refused as `encryptedForAnotherKey`.
    ///   - originRule: which origins the sender may carry; checked after the payload is verified and before anything
    ///     in it is classified, so a batch that breaks it uses up nothing.
    ///   - resolveKey: looks up the key id in the receiver's registry, given the claimed sender.
    /// - Returns: the verified header and decoded changes.
    public static func open(_ file: [UInt8], recipient: OrgCode, decryptionKey: EncryptionPrivateKey? = nil,
                            originRule: BatchOriginRule = .senderOnly,
                            resolveKey: (_ keyID: String, _ sender: OrgCode) -> KeyResolution)
        throws(BatchDecodingError) -> (header: BatchHeader, changes: [DecodedChange]) {
        let envelope = try BatchEnvelope.parse(file)
        let header = envelope.header
        guard header.recipient == recipient else {
            throw BatchDecodingError(.wrongRecipient(recipient: header.recipient.rawValue, expected: recipient.rawValue))
        }
        switch resolveKey(header.keyID, header.sender) {
        case .unknown: throw BatchDecodingError(.unknownKey(keyID: header.keyID, sender: header.sender.rawValue))
        case .revoked: throw BatchDecodingError(.revokedKey(keyID: header.keyID, sender: header.sender.rawValue))
        case .otherOrg(let org):
            throw BatchDecodingError(.keyOfOtherOrg(keyID: header.keyID, keyOrg: org.rawValue, sender: header.sender.rawValue))
        case .key(let key):
            try envelope.verify(with: key)
        }
        let changes = try envelope.decodeChanges(decryptionKey: decryptionKey)
        try originRule.check(header, changes)
        return (header, changes)
    }

    /// `open` with a key lookup that may fail to read the registry. Such a failure is rethrown as it is, never taken
    /// for an unknown key: the file is then neither judged nor quarantined, and waits for a retry. Every refusal of
    /// the batch itself is still a `BatchDecodingError`.
    public static func open(_ file: [UInt8], recipient: OrgCode, decryptionKey: EncryptionPrivateKey? = nil,
                            originRule: BatchOriginRule, lookUpKey: (_ keyID: String, _ sender: OrgCode) throws -> KeyResolution)
        throws -> (header: BatchHeader, changes: [DecodedChange]) {
        var lookupFailure: (any Error)?
        do {
            return try open(file, recipient: recipient, decryptionKey: decryptionKey, originRule: originRule) { keyID, sender in
                do { return try lookUpKey(keyID, sender) } catch {
                    lookupFailure = error
                    return .unknown
                }
            }
        } catch {
            if let lookupFailure { throw lookupFailure }
            throw error
        }
    }
}
