/// The canonical byte form of a change (`Protocol/PROTOCOL.md` §5): what batch payloads carry and what every
/// replica's change log stores as the change's original.
///
/// The encoding is canonical: maps are written with keys in ascending byte order and the decoder refuses any
/// other order or a duplicate key, so one change has exactly one byte form. That is what makes test vectors exact
/// and lets the hub store the received bytes as the change's archived original.
public enum ChangeCodec {
    static let tagNull: UInt8 = 0x00
    static let tagInteger: UInt8 = 0x01
    static let tagText: UInt8 = 0x02
    static let tagBytes: UInt8 = 0x03
    static let tagList: UInt8 = 0x04
    static let tagRecord: UInt8 = 0x05

    /// The record bytes of `change` (without the 4-byte length prefix the payload puts in front).
    public static func encode(_ change: Change) -> [UInt8] {
        var writer = ByteWriter(capacity: 256)
        encode(change, into: &writer)
        return writer.bytes
    }

    package static func encode(_ change: Change, into writer: inout ByteWriter) {
        precondition(change.id.counter > 0, "change counters start at 1")
        writer.writeString8(change.id.origin.rawValue)
        writer.write(UInt64(change.id.counter))
        writer.write(change.createdAtMilliseconds)
        writer.writeString8(change.table)
        writer.writeString16(change.key)
        writer.write(change.operation.rawValue)
        writer.writeString8(change.businessDate)
        let deps = change.deps.sortedEntries
        writer.write(UInt16(deps.count))
        for entry in deps {
            writer.writeString8(entry.origin.rawValue)
            writer.write(UInt64(entry.counter))
        }
        encodeMap(change.fields, into: &writer)
    }

    static func encodeMap(_ map: [String: FieldValue], into writer: inout ByteWriter) {
        let keys = map.keys.sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
        writer.write(UInt16(keys.count))
        for key in keys {
            writer.writeString8(key)
            encodeValue(map[key]!, into: &writer)
        }
    }

    static func encodeValue(_ value: FieldValue, into writer: inout ByteWriter) {
        switch value {
        case .null:
            writer.write(tagNull)
        case .integer(let number):
            writer.write(tagInteger)
            writer.write(number)
        case .text(let text):
            writer.write(tagText)
            writer.writeString32(text)
        case .bytes(let data):
            writer.write(tagBytes)
            writer.write(UInt32(data.count))
            writer.write(contentsOf: data)
        case .list(let items):
            writer.write(tagList)
            writer.write(UInt32(items.count))
            for item in items { encodeValue(item, into: &writer) }
        case .record(let map):
            writer.write(tagRecord)
            encodeMap(map, into: &writer)
        }
    }

    /// Decodes one change record occupying exactly `range` of `bytes`.
    /// - Throws: `RecordDecodingError` with the payload offset of the first bad byte.
    public static func decode(_ bytes: [UInt8], range: Range<Int>) throws(RecordDecodingError) -> Change {
        var reader = ByteReader(bytes, range: range)
        let change = try decode(from: &reader)
        guard reader.remaining == 0 else {
            throw RecordDecodingError(.malformed("change record has \(reader.remaining) trailing bytes"),
                                     byteOffset: reader.position)
        }
        return change
    }

    package static func decode(from reader: inout ByteReader) throws(RecordDecodingError) -> Change {
        let origin = try readOrgCode(&reader, what: "origin")
        let counter = try readCounter(&reader)
        let createdAt = try reader.readInt64()
        let table = try reader.readString8(what: "table name")
        let key = try reader.readString16(what: "key")
        let operationOffset = reader.position
        guard let operation = ChangeOperation(rawValue: try reader.readUInt8()) else {
            throw RecordDecodingError(.malformed("unknown operation"), byteOffset: operationOffset)
        }
        let businessDate = try reader.readString8(what: "business date")
        var deps = VersionVector()
        var previous: OrgCode?
        for _ in 0..<Int(try reader.readUInt16()) {
            let offset = reader.position
            let depOrigin = try readOrgCode(&reader, what: "dependency origin")
            if let previous, !(previous < depOrigin) {
                throw RecordDecodingError(.malformed("dependencies are not in ascending origin order"), byteOffset: offset)
            }
            previous = depOrigin
            deps.advance(depOrigin, to: try readCounter(&reader))
        }
        let fields = try decodeMap(from: &reader, depth: 1)
        return Change(id: ChangeID(origin: origin, counter: counter), deps: deps, table: table, key: key,
                      operation: operation, businessDate: businessDate, createdAtMilliseconds: createdAt, fields: fields)
    }

    static func readOrgCode(_ reader: inout ByteReader, what: String) throws(RecordDecodingError) -> OrgCode {
        let offset = reader.position
        let text = try reader.readString8(what: what)
        guard let code = OrgCode(text) else {
            throw RecordDecodingError(.malformed("\(what) '\(text)' is not an org code"), byteOffset: offset)
        }
        return code
    }

    static func readCounter(_ reader: inout ByteReader) throws(RecordDecodingError) -> Int64 {
        let offset = reader.position
        let raw = try reader.readUInt64()
        guard raw >= 1, raw <= UInt64(Int64.max) else {
            throw RecordDecodingError(.malformed("counter \(raw) is outside 1...2^63-1"), byteOffset: offset)
        }
        return Int64(raw)
    }

    package static func decodeMap(from reader: inout ByteReader, depth: Int) throws(RecordDecodingError) -> [String: FieldValue] {
        let count = Int(try reader.readUInt16())
        var map: [String: FieldValue] = [:]
        map.reserveCapacity(count)
        var previous: [UInt8]?
        for _ in 0..<count {
            let offset = reader.position
            let name = try reader.readString8(what: "field name")
            let nameBytes = Array(name.utf8)
            if let previous, !previous.lexicographicallyPrecedes(nameBytes) {
                throw RecordDecodingError(.malformed("field names are not in strictly ascending order"), byteOffset: offset)
            }
            previous = nameBytes
            // Swift's String equality is canonical (NFC-equivalent), so two names that differ only in Unicode
            // normalisation would collapse into one key: refuse that, so one change keeps exactly one byte form.
            guard map[name] == nil else {
                throw RecordDecodingError(.malformed("field name '\(name)' repeats an earlier name in another Unicode form"), byteOffset: offset)
            }
            map[name] = try decodeValue(from: &reader, depth: depth)
        }
        return map
    }

    package static func decodeValue(from reader: inout ByteReader, depth: Int) throws(RecordDecodingError) -> FieldValue {
        let offset = reader.position
        guard depth <= Limits.fieldValueDepthMax else {
            throw RecordDecodingError(.malformed("values nested deeper than \(Limits.fieldValueDepthMax)"), byteOffset: offset)
        }
        switch try reader.readUInt8() {
        case tagNull: return .null
        case tagInteger: return .integer(try reader.readInt64())
        case tagText:
            let length = Int(try reader.readUInt32())
            guard length <= Limits.textBytesMax else {
                throw RecordDecodingError(.malformed("text value of \(length) bytes exceeds \(Limits.textBytesMax)"), byteOffset: offset)
            }
            return .text(try reader.readUTF8(length, what: "text value"))
        case tagBytes: return .bytes(Array(try reader.readBytes(Int(try reader.readUInt32()))))
        case tagList:
            let count = Int(try reader.readUInt32())
            // Each value takes at least one byte: refuse counts the remaining bytes cannot hold before allocating.
            try reader.require(count)
            var items: [FieldValue] = []
            items.reserveCapacity(count)
            for _ in 0..<count { items.append(try decodeValue(from: &reader, depth: depth + 1)) }
            return .list(items)
        case tagRecord: return .record(try decodeMap(from: &reader, depth: depth + 1))
        case let tag:
            throw RecordDecodingError(.malformed("unknown value tag 0x\(String(tag, radix: 16))"), byteOffset: offset)
        }
    }
}
