import LedgerCore

/// The uncompressed payload: `changeCount` change records, each preceded by its length as a big-endian `UInt32`.
public enum PayloadCodec {
    /// Concatenates already-encoded change records with their length prefixes.
    public static func encode(records: [[UInt8]]) -> [UInt8] {
        var writer = ByteWriter(capacity: records.reduce(0) { $0 + $1.count + 4 })
        for record in records {
            precondition(record.count <= Limits.changeBytesMax, "change record over the limit: \(record.count) bytes")
            writer.write(UInt32(record.count))
            writer.write(contentsOf: record)
        }
        return writer.bytes
    }

    /// Splits and decodes a payload that must hold exactly `changeCount` records.
    public static func decode(_ payload: [UInt8], changeCount: Int) throws(BatchDecodingError) -> [DecodedChange] {
        do {
            return try decodeUnmapped(payload, changeCount: changeCount)
        } catch let error as BatchDecodingError {
            throw error
        } catch let error as RecordDecodingError {
            throw BatchDecodingError(payload: error)
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }

    private static func decodeUnmapped(_ payload: [UInt8], changeCount: Int) throws -> [DecodedChange] {
        var reader = ByteReader(payload)
        var changes: [DecodedChange] = []
        changes.reserveCapacity(changeCount)
        while reader.remaining > 0 {
            guard changes.count < changeCount else {
                throw BatchDecodingError(.changeCountMismatch(declared: changeCount, actual: changes.count + 1), byteOffset: reader.position)
            }
            let lengthOffset = reader.position
            let length = Int(try reader.readUInt32())
            guard length <= Limits.changeBytesMax else {
                throw BatchDecodingError(.malformedPayload("change record of \(length) bytes exceeds \(Limits.changeBytesMax)"),
                                         byteOffset: lengthOffset)
            }
            try reader.require(length)
            let start = reader.position
            let change = try ChangeCodec.decode(payload, range: start..<(start + length))
            changes.append(DecodedChange(change: change, record: try reader.readBytes(length)))
        }
        guard changes.count == changeCount else {
            throw BatchDecodingError(.changeCountMismatch(declared: changeCount, actual: changes.count))
        }
        return changes
    }
}
