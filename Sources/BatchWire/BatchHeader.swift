import LedgerCore

/// Constants of batch format versions 1 and 2 (`Protocol/PROTOCOL.md` §3, §13).
public enum BatchFormat {
    /// `89 46 53 42 0D 0A 1A 0A`: a non-ASCII first byte and CR LF / SUB / LF so that a file mangled by a text
    /// transfer (line-ending conversion, 7-bit mail) is recognised at once, as in PNG.
    public static let magic: [UInt8] = [0x89, 0x46, 0x53, 0x42, 0x0D, 0x0A, 0x1A, 0x0A]
    /// Version 1: plaintext payload. Every batch without encryption is written as version 1, byte for byte as before.
    public static let version: UInt8 = 1
    /// Version 2: the version 1 layout with an encrypted payload and the encryption fields at the end of the header
    /// (§13). A new version rather than a new meaning of byte 12 in version 1 (STYLE R10).
    public static let encryptedVersion: UInt8 = 2
    /// Bytes of the fixed part of the header, before the variable-length fields.
    public static let fixedHeaderBytes = 92
    /// zlib (RFC 1950) is the only compression id of version 1.
    public static let compressionZlib: UInt8 = 1
    /// 0 = the payload is not encrypted: the only encryption id of version 1. Version 2 has ids 1 and 2
    /// (`EncryptionAlgorithm`).
    public static let encryptionNone: UInt8 = 0
    /// Ceiling on a version 2 header's encapsulated key: an SM2 ciphertext of a 32-byte key is about 141 bytes.
    public static let encapsulatedKeyBytesMax = 512
    /// Ceiling on the signature block; SM2 DER signatures are at most 72 bytes, Ed25519 64.
    public static let signatureBytesMax = 512
}

/// The signed header of a batch. Everything a receiver needs to decide whether to accept the batch is here, and
/// the signature covers all of it, including the hash of the compressed payload.
public struct BatchHeader: Hashable, Sendable {
    public var formatVersion: UInt8 = BatchFormat.version
    public var signatureAlgorithm: SignatureAlgorithm
    public var payloadHashAlgorithm: PayloadHashAlgorithm
    public var sender: OrgCode
    public var recipient: OrgCode
    /// Per (sender → recipient) link: 1 for the first batch the sender ever exported on this link, then +1.
    public var batchSequence: UInt64
    /// Stream position of the first change in the payload; the payload holds positions
    /// `firstStreamPosition ..< firstStreamPosition + changeCount` of the link's gap-free change stream. 0 when empty.
    public var firstStreamPosition: UInt64
    /// Highest position of the reverse stream (recipient → sender) the sender has processed, contiguously.
    public var ackStreamPosition: UInt64
    /// The sender's version vector restricted to the sender's and the recipient's origins (informational ack).
    public var ackVector: VersionVector
    public var createdAtMilliseconds: Int64
    public var changeCount: UInt32
    public var payloadSizeBytes: UInt32
    public var payloadSizeBytesCompressed: UInt32
    /// Hash of the compressed payload bytes, with `payloadHashAlgorithm`.
    public var payloadHash: [UInt8]
    /// Key id of the signing key (see `PublicKey.keyID`).
    public var keyID: String
    /// Version 2 only: how the payload is encrypted, and for which key. `nil` in version 1.
    public var encryption: PayloadEncryption? = nil
    /// Header byte 13 (release 2; release 1 wrote and required 0 there). Signed with the rest of the header.
    public var flags: BatchFlags = []

    /// The stream position after the last change of this batch.
    public var endStreamPosition: UInt64 { changeCount == 0 ? firstStreamPosition : firstStreamPosition + UInt64(changeCount) }

    /// The header bytes exactly as signed.
    /// - precondition: `formatVersion` is 2 exactly when `encryption` is set.
    func encoded() -> [UInt8] {
        precondition((formatVersion == BatchFormat.encryptedVersion) == (encryption != nil),
                     "format version \(formatVersion) with encryption \(encryption?.algorithm.name ?? "none")")
        var writer = ByteWriter(capacity: 160)
        writer.write(contentsOf: BatchFormat.magic)
        writer.write(formatVersion)
        writer.write(signatureAlgorithm.rawValue)
        writer.write(payloadHashAlgorithm.rawValue)
        writer.write(BatchFormat.compressionZlib)
        writer.write(encryption?.algorithm.rawValue ?? BatchFormat.encryptionNone)
        writer.write(flags.rawValue)
        writer.write(UInt16(0))  // header length, patched below
        writer.write(batchSequence)
        writer.write(firstStreamPosition)
        writer.write(ackStreamPosition)
        writer.write(createdAtMilliseconds)
        writer.write(changeCount)
        writer.write(payloadSizeBytes)
        writer.write(payloadSizeBytesCompressed)
        precondition(payloadHash.count == PayloadHashAlgorithm.digestBytes, "payload hash must be 32 bytes")
        writer.write(contentsOf: payloadHash)
        assert(writer.bytes.count == BatchFormat.fixedHeaderBytes)
        writer.writeString8(sender.rawValue)
        writer.writeString8(recipient.rawValue)
        writer.writeString8(keyID)
        let entries = ackVector.sortedEntries
        writer.write(UInt16(entries.count))
        for entry in entries {
            writer.writeString8(entry.origin.rawValue)
            writer.write(UInt64(entry.counter))
        }
        if let encryption {
            precondition(encryption.nonce.count == encryption.algorithm.nonceBytes && encryption.tag.count == encryption.algorithm.tagBytes,
                         "nonce or tag size does not fit \(encryption.algorithm.name)")
            precondition((1...BatchFormat.encapsulatedKeyBytesMax).contains(encryption.encapsulatedKey.count), "encapsulated key size")
            writer.writeString8(encryption.recipientKeyID)
            writer.write(UInt16(encryption.encapsulatedKey.count))
            writer.write(contentsOf: encryption.encapsulatedKey)
            writer.write(contentsOf: encryption.nonce)
            writer.write(contentsOf: encryption.tag)
        }
        let length = UInt16(writer.bytes.count)
        writer.bytes[14] = UInt8(length >> 8)
        writer.bytes[15] = UInt8(length & 0xff)
        return writer.bytes
    }
}
