import LedgerCore

extension BatchHeader {
    /// Parses the header at the start of `file`, returning it and its length in bytes.
    /// - Throws: `notABatch`, `unsupportedFormatVersion`, `unsupportedAlgorithm`, `truncated` or
    ///   `malformedHeader`, each with the byte offset.
    static func decode(_ file: [UInt8]) throws(BatchDecodingError) -> (header: BatchHeader, length: Int) {
        do {
            return try decodeUnmapped(file)
        } catch let error as BatchDecodingError {
            throw error
        } catch let error as RecordDecodingError {
            throw BatchDecodingError(header: error)
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }

    private static func decodeUnmapped(_ file: [UInt8]) throws -> (header: BatchHeader, length: Int) {
        guard !file.isEmpty else { throw BatchDecodingError(.empty) }
        guard file.count >= BatchFormat.magic.count, Array(file.prefix(BatchFormat.magic.count)) == BatchFormat.magic else {
            throw BatchDecodingError(.notABatch, byteOffset: 0)
        }
        var reader = ByteReader(file)
        _ = try reader.readBytes(BatchFormat.magic.count)
        let version = try reader.readUInt8()
        guard version == BatchFormat.version || version == BatchFormat.encryptedVersion else {
            throw BatchDecodingError(.unsupportedFormatVersion(version), byteOffset: 8)
        }
        let signatureID = try reader.readUInt8()
        guard let signatureAlgorithm = SignatureAlgorithm(rawValue: signatureID) else {
            throw BatchDecodingError(.unsupportedAlgorithm(field: "signature", id: signatureID), byteOffset: 9)
        }
        let hashID = try reader.readUInt8()
        guard let hashAlgorithm = PayloadHashAlgorithm(rawValue: hashID) else {
            throw BatchDecodingError(.unsupportedAlgorithm(field: "payload hash", id: hashID), byteOffset: 10)
        }
        guard (signatureAlgorithm == .ed25519) == (hashAlgorithm == .sha256) else {
            throw BatchDecodingError(.unsupportedAlgorithm(field: "payload hash (\(hashAlgorithm) with \(signatureAlgorithm.name))", id: hashID),
                                     byteOffset: 10)
        }
        let compression = try reader.readUInt8()
        guard compression == BatchFormat.compressionZlib else {
            throw BatchDecodingError(.unsupportedAlgorithm(field: "compression", id: compression), byteOffset: 11)
        }
        // Version 1 has only "none" (0); version 2 only the encryption ids 1 and 2 (§13.1).
        let encryptionID = try reader.readUInt8()
        let encryption = EncryptionAlgorithm(rawValue: encryptionID)
        guard version == BatchFormat.version ? encryptionID == BatchFormat.encryptionNone : encryption != nil else {
            if version == BatchFormat.encryptedVersion, encryptionID == BatchFormat.encryptionNone {
                // A plaintext batch is always version 1: "version 2, not encrypted" is no format at all, and it is
                // what a version 1 receiver reported for it (batch-v1.json, "format version 2").
                throw BatchDecodingError(.unsupportedFormatVersion(version), byteOffset: 8)
            }
            throw BatchDecodingError(.unsupportedAlgorithm(field: "encryption", id: encryptionID), byteOffset: 12)
        }
        // Byte 13: the flags of release 2 (PROTOCOL.md §3.1). A bit this release does not know is refused, never ignored.
        let flagByte = try reader.readUInt8()
        guard let flags = BatchFlags(known: flagByte) else {
            throw BatchDecodingError(.malformedHeader("flags byte 0x\(String(flagByte, radix: 16)) has bits this release does not know"),
                                     byteOffset: 13)
        }
        let headerLength = Int(try reader.readUInt16())
        guard headerLength >= BatchFormat.fixedHeaderBytes + 5, headerLength <= file.count else {
            if headerLength > file.count { throw BatchDecodingError(.truncated(needBytes: headerLength - file.count), byteOffset: file.count) }
            throw BatchDecodingError(.malformedHeader("header length \(headerLength) is too small"), byteOffset: 14)
        }
        // Fields are read inside the declared header length only: a read past it is a malformed header.
        var fields = ByteReader(file, range: reader.position..<headerLength)
        var header: BatchHeader
        do {
            header = try decodeFields(&fields, signatureAlgorithm: signatureAlgorithm, hashAlgorithm: hashAlgorithm)
            if version == BatchFormat.encryptedVersion, let encryption {
                header.encryption = try decodeEncryption(&fields, algorithm: encryption)
            }
        } catch let error as RecordDecodingError {
            if case .truncated = error.code {
                throw BatchDecodingError(.malformedHeader("the fields run past the declared header length \(headerLength)"),
                                         byteOffset: error.byteOffset)
            }
            throw BatchDecodingError(header: error)
        }
        header.formatVersion = version
        header.flags = flags
        guard fields.remaining == 0 else {
            throw BatchDecodingError(.malformedHeader("header length says \(headerLength) bytes but the fields take \(fields.position)"),
                                     byteOffset: 14)
        }
        return (header, headerLength)
    }

    private static func decodeFields(_ reader: inout ByteReader, signatureAlgorithm: SignatureAlgorithm,
                                     hashAlgorithm: PayloadHashAlgorithm) throws -> BatchHeader {
        let batchSequence = try reader.readUInt64()
        let firstStreamPosition = try reader.readUInt64()
        let ackStreamPosition = try reader.readUInt64()
        let createdAt = try reader.readInt64()
        let changeCount = try reader.readUInt32()
        let payloadSize = try reader.readUInt32()
        let payloadSizeCompressed = try reader.readUInt32()
        let payloadHash = Array(try reader.readBytes(PayloadHashAlgorithm.digestBytes))
        let sender = try headerOrgCode(&reader, what: "sender")
        let recipient = try headerOrgCode(&reader, what: "recipient")
        let keyOffset = reader.position
        let keyID = try reader.readString8(what: "key id")
        guard !keyID.isEmpty, keyID.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7e }) else {
            throw BatchDecodingError(.malformedHeader("key id is missing or not text"), byteOffset: keyOffset)
        }
        var ackVector = VersionVector()
        var previous: OrgCode?
        for _ in 0..<Int(try reader.readUInt16()) {
            let offset = reader.position
            let origin = try headerOrgCode(&reader, what: "acknowledgement origin")
            if let previous, !(previous < origin) {
                throw BatchDecodingError(.malformedHeader("acknowledgement vector is not in ascending origin order"), byteOffset: offset)
            }
            previous = origin
            let counter = try reader.readUInt64()
            guard counter >= 1, counter <= UInt64(Int64.max) else {
                throw BatchDecodingError(.malformedHeader("acknowledged counter is out of range"), byteOffset: offset)
            }
            ackVector.advance(origin, to: Int64(counter))
        }
        guard batchSequence >= 1 else { throw BatchDecodingError(.malformedHeader("batch sequence is 0"), byteOffset: 16) }
        // Sequences and positions are stored in SQLite, whose integers are signed 64-bit (R3).
        let positionMax = UInt64(Int64.max) - UInt64(Limits.batchChangeCountMax)
        guard batchSequence <= positionMax, firstStreamPosition <= positionMax, ackStreamPosition <= positionMax else {
            throw BatchDecodingError(.malformedHeader("a sequence or stream position exceeds \(positionMax)"), byteOffset: 16)
        }
        guard (changeCount == 0) == (firstStreamPosition == 0) else {
            throw BatchDecodingError(.malformedHeader("first stream position must be 0 exactly when the batch is empty"), byteOffset: 24)
        }
        return BatchHeader(signatureAlgorithm: signatureAlgorithm, payloadHashAlgorithm: hashAlgorithm, sender: sender,
                           recipient: recipient, batchSequence: batchSequence, firstStreamPosition: firstStreamPosition,
                           ackStreamPosition: ackStreamPosition, ackVector: ackVector, createdAtMilliseconds: createdAt,
                           changeCount: changeCount, payloadSizeBytes: payloadSize,
                           payloadSizeBytesCompressed: payloadSizeCompressed, payloadHash: payloadHash, keyID: keyID)
    }

    /// The encryption fields at the end of a version 2 header (§13.2), read inside the declared header length.
    private static func decodeEncryption(_ reader: inout ByteReader, algorithm: EncryptionAlgorithm) throws -> PayloadEncryption {
        let keyOffset = reader.position
        let recipientKeyID = try reader.readString8(what: "recipient key id")
        guard !recipientKeyID.isEmpty, recipientKeyID.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7e }) else {
            throw BatchDecodingError(.malformedHeader("recipient key id is missing or not text"), byteOffset: keyOffset)
        }
        let lengthOffset = reader.position
        let length = Int(try reader.readUInt16())
        let lengthFits = algorithm == .x25519AES256GCM ? length == X25519.keyBytes : (1...BatchFormat.encapsulatedKeyBytesMax).contains(length)
        guard lengthFits else {
            throw BatchDecodingError(.malformedHeader("encapsulated key of \(length) bytes does not fit \(algorithm.name)"), byteOffset: lengthOffset)
        }
        let encapsulatedKey = Array(try reader.readBytes(length))
        let nonce = Array(try reader.readBytes(algorithm.nonceBytes))
        let tag = Array(try reader.readBytes(algorithm.tagBytes))
        return PayloadEncryption(algorithm: algorithm, recipientKeyID: recipientKeyID, encapsulatedKey: encapsulatedKey, nonce: nonce, tag: tag)
    }

    private static func headerOrgCode(_ reader: inout ByteReader, what: String) throws -> OrgCode {
        let offset = reader.position
        let text = try reader.readString8(what: what)
        guard let code = OrgCode(text) else {
            throw BatchDecodingError(.malformedHeader("\(what) is not an org code"), byteOffset: offset)
        }
        return code
    }
}

extension BatchDecodingError {
    /// Maps a low-level read error inside the header.
    init(header error: RecordDecodingError) {
        switch error.code {
        case .truncated(let need): self.init(.truncated(needBytes: need), byteOffset: error.byteOffset)
        case .malformed(let reason): self.init(.malformedHeader(reason), byteOffset: error.byteOffset)
        }
    }

    /// Maps a low-level read error inside the (inflated) payload.
    init(payload error: RecordDecodingError) {
        switch error.code {
        case .truncated(let need): self.init(.malformedPayload("a record needs \(need) more bytes"), byteOffset: error.byteOffset)
        case .malformed(let reason): self.init(.malformedPayload(reason), byteOffset: error.byteOffset)
        }
    }
}
