import LedgerCore

/// A batch file split into its three parts, checked for structure but not yet for authenticity.
///
/// Receiving is three explicit steps so the caller can look up the signing key between them:
/// `parse` (structure, sizes, limits) → `verify(with:)` (signature over the header, then the payload hash) →
/// `decodeChanges(decryptionKey:)` (decryption of a version 2 payload, bounded inflate, then each change record).
/// Nothing is decrypted or inflated before the signature and hash have been checked.
public struct BatchEnvelope: Sendable {
    public let header: BatchHeader
    public let file: [UInt8]
    let headerLength: Int
    let signatureRange: Range<Int>

    var payloadRange: Range<Int> { headerLength..<(headerLength + Int(header.payloadSizeBytesCompressed)) }

    /// Parses the structure of `file`.
    /// - Throws: a `BatchDecodingError` for anything that is not a complete, well-formed, in-limits batch file.
    public static func parse(_ file: [UInt8]) throws(BatchDecodingError) -> BatchEnvelope {
        do {
            return try parseUnmapped(file)
        } catch let error as BatchDecodingError {
            throw error
        } catch let error as RecordDecodingError {
            throw BatchDecodingError(header: error)
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }

    private static func parseUnmapped(_ file: [UInt8]) throws -> BatchEnvelope {
        guard file.count <= Limits.batchFileBytesMax else {
            throw BatchDecodingError(.fileTooLarge(sizeBytes: file.count, sizeBytesMax: Limits.batchFileBytesMax))
        }
        let (header, headerLength) = try BatchHeader.decode(file)
        try checkLimits(header)
        let payloadEnd = headerLength + Int(header.payloadSizeBytesCompressed)
        var reader = ByteReader(file, range: min(payloadEnd, file.count)..<file.count)
        guard payloadEnd <= file.count else {
            throw BatchDecodingError(.truncated(needBytes: payloadEnd - file.count + 2), byteOffset: file.count)
        }
        let signatureLength = Int(try reader.readUInt16())
        guard (1...BatchFormat.signatureBytesMax).contains(signatureLength) else {
            throw BatchDecodingError(.malformedHeader("signature length \(signatureLength) is out of range"), byteOffset: payloadEnd)
        }
        let signatureStart = reader.position
        _ = try reader.readBytes(signatureLength)
        guard reader.remaining == 0 else { throw BatchDecodingError(.trailingBytes(count: reader.remaining), byteOffset: reader.position) }
        return BatchEnvelope(header: header, file: file, headerLength: headerLength,
                             signatureRange: signatureStart..<(signatureStart + signatureLength))
    }

    static func checkLimits(_ header: BatchHeader) throws(BatchDecodingError) {
        guard Int(header.payloadSizeBytes) <= Limits.batchPayloadBytesMax else {
            throw BatchDecodingError(.payloadTooLarge(sizeBytes: Int(header.payloadSizeBytes), sizeBytesMax: Limits.batchPayloadBytesMax),
                                     byteOffset: 52)
        }
        guard Int(header.payloadSizeBytesCompressed) <= Limits.batchPayloadBytesCompressedMax else {
            throw BatchDecodingError(.payloadTooLarge(sizeBytes: Int(header.payloadSizeBytesCompressed),
                                                      sizeBytesMax: Limits.batchPayloadBytesCompressedMax), byteOffset: 56)
        }
        guard Int(header.changeCount) <= Limits.batchChangeCountMax else {
            throw BatchDecodingError(.malformedHeader("\(header.changeCount) changes exceed the limit of \(Limits.batchChangeCountMax)"),
                                     byteOffset: 48)
        }
        // The smallest change record is 27 bytes plus its 4-byte length: a count the payload cannot hold is refused
        // before anything is inflated.
        guard UInt64(header.changeCount) * 31 <= UInt64(header.payloadSizeBytes) else {
            throw BatchDecodingError(.malformedHeader("\(header.changeCount) changes cannot fit in \(header.payloadSizeBytes) payload bytes"),
                                     byteOffset: 48)
        }
    }

    /// Checks the signature over the header bytes with `key`, then the payload hash.
    /// - Throws: `badSignature` or `payloadHashMismatch`.
    public func verify(with key: PublicKey) throws(BatchDecodingError) {
        guard key.algorithm == header.signatureAlgorithm,
              key.verify(signature: file[signatureRange], message: file[0..<headerLength]) else {
            throw BatchDecodingError(.badSignature, byteOffset: signatureRange.lowerBound)
        }
        guard header.payloadHashAlgorithm.digest(file[payloadRange]) == header.payloadHash else {
            throw BatchDecodingError(.payloadHashMismatch, byteOffset: headerLength)
        }
    }

    /// Decrypts the payload of a version 2 batch, inflates it (never past its declared size) and decodes every
    /// change record.
    /// - Parameter decryptionKey: the receiving office's encryption key; ignored for a version 1 batch.
    /// - precondition: `verify(with:)` succeeded; decoding unauthenticated bytes is a programmer error.
    public func decodeChanges(decryptionKey: EncryptionPrivateKey? = nil) throws(BatchDecodingError) -> [DecodedChange] {
        let payload = try Deflate.inflate(try compressedPayload(decryptionKey: decryptionKey), expectedBytes: Int(header.payloadSizeBytes))
        return try PayloadCodec.decode(payload, changeCount: Int(header.changeCount))
    }

    /// The compressed payload: the bytes of the file (version 1) or their decryption (version 2, §13.5).
    func compressedPayload(decryptionKey: EncryptionPrivateKey?) throws(BatchDecodingError) -> ArraySlice<UInt8> {
        guard let encryption = header.encryption else { return file[payloadRange] }
        return try PayloadCipher.decrypt(file[payloadRange], fields: encryption, key: decryptionKey, sender: header.sender,
                                         recipient: header.recipient)[...]
    }
}

/// A change as received, together with its record bytes (kept as the archived original at the receiver).
public struct DecodedChange: Sendable {
    public let change: Change
    public let record: ArraySlice<UInt8>
}
