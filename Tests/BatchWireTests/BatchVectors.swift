import BatchWire
import Foundation
import LedgerCore
import SyncTesting

/// The test-vector file format of `Protocol/vectors/batch-v1.json` and `batch-v2.json` (Wycheproof's shape:
/// `tcId`, `comment`, `result`, `flags`), shared by the tests that check the vectors and the generators that wrote
/// them. The fields only version 2 uses are optional and absent from `batch-v1.json`.
public struct BatchVectorFile: Codable {
    public struct Key: Codable {
        public var name: String
        public var org: String
        public var algorithm: String
        public var keyID: String
        public var privateKeyPEM: String
        public var publicKeyPEM: String
        /// `signing` (absent in `batch-v1.json`, where every key signs) or `encryption`.
        public var use: String? = nil
    }

    /// The encryption fields of a version 2 header (PROTOCOL.md §13.2).
    public struct EncryptionHeader: Codable, Equatable {
        public var encryptionAlgorithm: Int
        public var recipientKeyID: String
        public var encapsulatedKeyHex: String
        public var nonceHex: String
        public var tagHex: String
    }

    /// The intermediate values of a valid encrypted case, for checking each step on its own (and with `openssl`).
    public struct EncryptionSecrets: Codable, Equatable {
        /// The compressed payload before encryption (what the ciphertext decrypts to).
        public var compressedPayloadHex: String
        /// Id 1: the sender's ephemeral X25519 private key (raw, 32 bytes) and the shared secret.
        public var ephemeralPrivateKeyHex: String?
        public var sharedSecretHex: String?
        /// Id 2: the 32-byte content key the encapsulated key wraps.
        public var contentKeyHex: String?
        /// The HKDF inputs and output (id 1: the AES-256 key; id 2: SM4 key ‖ HMAC-SM3 key, 48 bytes).
        public var hkdfDigest: String
        public var hkdfSaltHex: String
        public var hkdfInfo: String
        public var derivedKeyHex: String
    }

    public struct Header: Codable, Equatable {
        public var formatVersion: Int
        public var signatureAlgorithm: Int
        public var payloadHashAlgorithm: Int
        public var sender: String
        public var recipient: String
        public var batchSequence: String
        public var firstStreamPosition: String
        public var ackStreamPosition: String
        public var ackVector: [String: String]
        public var createdAtMilliseconds: String
        public var changeCount: Int
        public var payloadSizeBytes: Int
        public var payloadSizeBytesCompressed: Int
        public var payloadHashHex: String
        public var keyID: String
        public var headerLength: Int
        public var signatureHex: String
        /// Version 2 only.
        public var encryption: EncryptionHeader? = nil
    }

    public struct ChangeVector: Codable, Equatable {
        public var recordHex: String
        public var origin: String
        public var counter: String
        public var createdAtMilliseconds: String
        public var table: String
        public var key: String
        public var operation: String
        public var businessDate: String
        public var deps: [String: String]
        public var fields: [String: JSONFieldValue]
    }

    public struct TestCase: Codable {
        public var tcId: Int
        public var comment: String
        public var result: String
        public var flags: [String]
        /// The org code of the receiver opening the batch.
        public var recipient: String
        /// Keys (by id) the receiver's registry lists as revoked.
        public var revokedKeyIDs: [String]
        /// The name of the key that signed the batch (for re-sealing valid cases).
        public var signer: String
        public var batchHex: String
        /// For invalid cases: the error name (`BatchDecodingError.name`) a receiver must report.
        public var error: String?
        public var header: Header?
        public var payloadHex: String?
        public var changes: [ChangeVector]?
        /// Version 2 file only: the name of the receiver's own encryption key (absent: the receiver has none).
        public var decryptionKey: String? = nil
        /// Valid encrypted cases only.
        public var encryption: EncryptionSecrets? = nil
    }

    public var format: String
    public var specification: String
    public var notes: [String]
    public var keys: [Key]
    public var tests: [TestCase]
}

/// A field value in vector JSON: `{"type": "integer", "value": "-5"}` (integers as decimal strings so that no JSON
/// reader loses precision), `text`, `bytes` (`hex`), `null`, `list` (`items`), `record` (`fields`).
public indirect enum JSONFieldValue: Codable, Equatable {
    case null
    case integer(String)
    case text(String)
    case bytes(hex: String)
    case list([JSONFieldValue])
    case record([String: JSONFieldValue])

    enum CodingKeys: String, CodingKey { case type, value, hex, items, fields }

    public init(_ value: FieldValue) {
        switch value {
        case .null: self = .null
        case .integer(let number): self = .integer(String(number))
        case .text(let text): self = .text(text)
        case .bytes(let bytes): self = .bytes(hex: hexString(bytes))
        case .list(let items): self = .list(items.map(JSONFieldValue.init))
        case .record(let map): self = .record(map.mapValues(JSONFieldValue.init))
        }
    }

    public var fieldValue: FieldValue? {
        switch self {
        case .null: return .null
        case .integer(let text): return Int64(text).map(FieldValue.integer)
        case .text(let text): return .text(text)
        case .bytes(let hex): return BatchWireTests.bytes(fromHex: hex).map(FieldValue.bytes)
        case .list(let items):
            let values = items.compactMap(\.fieldValue)
            return values.count == items.count ? .list(values) : nil
        case .record(let map):
            let values = map.compactMapValues(\.fieldValue)
            return values.count == map.count ? .record(values) : nil
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .type) {
        case "null": self = .null
        case "integer": self = .integer(try container.decode(String.self, forKey: .value))
        case "text": self = .text(try container.decode(String.self, forKey: .value))
        case "bytes": self = .bytes(hex: try container.decode(String.self, forKey: .hex))
        case "list": self = .list(try container.decode([JSONFieldValue].self, forKey: .items))
        case "record": self = .record(try container.decode([String: JSONFieldValue].self, forKey: .fields))
        case let other: throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown type \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .null: try container.encode("null", forKey: .type)
        case .integer(let text): try container.encode("integer", forKey: .type); try container.encode(text, forKey: .value)
        case .text(let text): try container.encode("text", forKey: .type); try container.encode(text, forKey: .value)
        case .bytes(let hex): try container.encode("bytes", forKey: .type); try container.encode(hex, forKey: .hex)
        case .list(let items): try container.encode("list", forKey: .type); try container.encode(items, forKey: .items)
        case .record(let fields): try container.encode("record", forKey: .type); try container.encode(fields, forKey: .fields)
        }
    }
}

/// Decodes lower-case or upper-case hex; `nil` if malformed.
public func bytes(fromHex hex: String) -> [UInt8]? {
    let digits = Array(hex.utf8)
    guard digits.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(digits.count / 2)
    func value(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 97...102: c - 87
        case 65...70: c - 55
        default: nil
        }
    }
    var index = 0
    while index < digits.count {
        guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
        out.append(high << 4 | low)
        index += 2
    }
    return out
}

extension BatchVectorFile.ChangeVector {
    public init(_ change: Change) {
        self.init(recordHex: hexString(ChangeCodec.encode(change)), origin: change.id.origin.rawValue,
                  counter: String(change.id.counter), createdAtMilliseconds: String(change.createdAtMilliseconds),
                  table: change.table, key: change.key, operation: change.operation.name, businessDate: change.businessDate,
                  deps: Dictionary(uniqueKeysWithValues: change.deps.sortedEntries.map { ($0.origin.rawValue, String($0.counter)) }),
                  fields: change.fields.mapValues(JSONFieldValue.init))
    }

    /// The change this vector describes, or `nil` if the JSON is malformed.
    public var change: Change? {
        guard let origin = OrgCode(origin), let counter = Int64(counter), let createdAt = Int64(createdAtMilliseconds),
              let operation = ChangeOperation.allCases.first(where: { $0.name == self.operation }) else { return nil }
        var vector = VersionVector()
        for (depOrigin, depCounter) in deps {
            guard let code = OrgCode(depOrigin), let value = Int64(depCounter) else { return nil }
            vector.advance(code, to: value)
        }
        let values = fields.compactMapValues(\.fieldValue)
        guard values.count == fields.count else { return nil }
        return Change(id: ChangeID(origin: origin, counter: counter), deps: vector, table: table, key: key, operation: operation,
                      businessDate: businessDate, createdAtMilliseconds: createdAt, fields: values)
    }
}
