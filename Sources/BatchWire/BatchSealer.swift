import LedgerCore

/// What the sender puts in a batch besides its changes.
public struct BatchAddressing: Sendable {
    public var sender: OrgCode
    public var recipient: OrgCode
    public var batchSequence: UInt64
    public var firstStreamPosition: UInt64
    public var ackStreamPosition: UInt64
    public var ackVector: VersionVector
    public var createdAtMilliseconds: Int64
    /// Header flags (release 2): set only by a restored node asking the hub for resync.
    public var flags: BatchFlags

    public init(sender: OrgCode, recipient: OrgCode, batchSequence: UInt64, firstStreamPosition: UInt64,
                ackStreamPosition: UInt64, ackVector: VersionVector, createdAtMilliseconds: Int64, flags: BatchFlags = []) {
        self.flags = flags
        self.sender = sender
        self.recipient = recipient
        self.batchSequence = batchSequence
        self.firstStreamPosition = firstStreamPosition
        self.ackStreamPosition = ackStreamPosition
        self.ackVector = ackVector
        self.createdAtMilliseconds = createdAtMilliseconds
    }
}

/// Builds signed batch files.
public enum BatchSealer {
    /// Compresses `records` (encoded change records, in stream order), encrypts them if asked, hashes, signs and
    /// lays out the file.
    /// - Parameter encryptFor: the recipient's encryption public key. Without one the batch is a plaintext version 1
    ///   batch; with one it is a version 2 batch whose compressed payload only that key's holder can read (§13).
    /// - precondition: counts and sizes are within `Limits`; the caller splits larger exports into several batches.
    public static func seal(_ addressing: BatchAddressing, records: [[UInt8]], signingKey: SigningKey,
                            encryptFor recipientKey: EncryptionPublicKey? = nil, compressionLevel: Int32 = 6) throws(CryptoError) -> [UInt8] {
        try seal(addressing, records: records, signingKey: signingKey, encryptFor: recipientKey, randomness: nil,
                 compressionLevel: compressionLevel)
    }

    /// `seal` with the encryption randomness fixed in advance (test vectors only).
    static func seal(_ addressing: BatchAddressing, records: [[UInt8]], signingKey: SigningKey, encryptFor recipientKey: EncryptionPublicKey?,
                     randomness: EncryptionRandomness?, compressionLevel: Int32 = 6) throws(CryptoError) -> [UInt8] {
        precondition(records.count <= Limits.batchChangeCountMax, "too many changes for one batch: \(records.count)")
        precondition((records.isEmpty) == (addressing.firstStreamPosition == 0),
                     "first stream position must be 0 exactly when the batch is empty")
        let payload = PayloadCodec.encode(records: records)
        precondition(payload.count <= Limits.batchPayloadBytesMax, "payload over the limit: \(payload.count) bytes")
        var compressed = Deflate.compress(payload, level: compressionLevel)
        var encryption: PayloadEncryption?
        if let recipientKey {
            // Encrypt, then hash: the signed payload hash covers the ciphertext, so tampering is found before decryption.
            (compressed, encryption) = try PayloadCipher.encrypt(compressed, for: recipientKey, sender: addressing.sender,
                                                                 recipient: addressing.recipient, randomness: randomness)
        }
        let hashAlgorithm: PayloadHashAlgorithm = signingKey.algorithm == .sm2sm3 ? .sm3 : .sha256
        var header = BatchHeader(signatureAlgorithm: signingKey.algorithm, payloadHashAlgorithm: hashAlgorithm,
                                 sender: addressing.sender, recipient: addressing.recipient,
                                 batchSequence: addressing.batchSequence, firstStreamPosition: addressing.firstStreamPosition,
                                 ackStreamPosition: addressing.ackStreamPosition, ackVector: addressing.ackVector,
                                 createdAtMilliseconds: addressing.createdAtMilliseconds, changeCount: UInt32(records.count),
                                 payloadSizeBytes: UInt32(payload.count), payloadSizeBytesCompressed: UInt32(compressed.count),
                                 payloadHash: hashAlgorithm.digest(compressed), keyID: signingKey.publicKey.keyID)
        header.flags = addressing.flags
        if let encryption {
            header.formatVersion = BatchFormat.encryptedVersion
            header.encryption = encryption
        }
        let headerBytes = header.encoded()
        let signature = try signingKey.sign(headerBytes[...])
        var writer = ByteWriter(capacity: headerBytes.count + compressed.count + 2 + signature.count)
        writer.write(contentsOf: headerBytes)
        writer.write(contentsOf: compressed)
        writer.write(UInt16(signature.count))
        writer.write(contentsOf: signature)
        return writer.bytes
    }
}
