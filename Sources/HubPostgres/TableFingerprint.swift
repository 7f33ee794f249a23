import BatchWire
import Foundation
import ReplicaStore

/// A table's content as one SHA-256 digest, computed the same way from either store.
///
/// Why rows are hashed one by one and the row digests sorted, instead of rows sorted in SQL: the two stores order
/// text differently (SQLite by bytes, PostgreSQL by the database's collation, which a province's server may set to
/// `zh_CN.UTF-8`). Sorting fixed-size digests in Swift gives one order everywhere and never needs the rows in memory.
/// Each value is written with a type tag and a length, so no two different rows encode alike.
public struct TableFingerprint: Sendable, Equatable, CustomStringConvertible {
    public var rows: Int
    /// The digest in hex.
    public var digest: String

    public var description: String { "\(rows) rows, \(digest.prefix(16))" }

    /// Collects row digests, then finishes with the table's name and columns.
    public struct Accumulator {
        private var rowDigests: [[UInt8]] = []

        public init() {}

        public mutating func add(_ row: [StoreValue]) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(64)
            for value in row {
                switch value {
                case .null: bytes.append(0)
                case .integer(let number):
                    bytes.append(1)
                    withUnsafeBytes(of: number.bigEndian) { bytes += $0 }
                case .text(let text):
                    bytes.append(2)
                    Self.appendLength(text.utf8.count, to: &bytes)
                    bytes += text.utf8
                case .blob(let data):
                    bytes.append(3)
                    Self.appendLength(data.count, to: &bytes)
                    bytes += data
                }
            }
            rowDigests.append(PayloadHashAlgorithm.sha256.digest(bytes))
        }

        public func finish(table: StoreTableDefinition) -> TableFingerprint {
            var bytes = Array("\(table.name)(\(table.columns.map(\.name).joined(separator: ",")))#\(rowDigests.count)".utf8)
            for digest in rowDigests.sorted(by: { $0.lexicographicallyPrecedes($1) }) { bytes += digest }
            let digest = PayloadHashAlgorithm.sha256.digest(bytes)
            return TableFingerprint(rows: rowDigests.count, digest: digest.map { String(format: "%02x", $0) }.joined())
        }

        private static func appendLength(_ length: Int, to bytes: inout [UInt8]) {
            withUnsafeBytes(of: UInt64(length).bigEndian) { bytes += $0 }
        }
    }
}
