/// Why a change record (or a length-prefixed field inside one) could not be decoded. `BatchWire` maps it into
/// `BatchDecodingError` with the offset in the payload.
public struct RecordDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case truncated(needBytes: Int)
        case malformed(String)
    }

    public var code: Code
    public var byteOffset: Int

    public init(_ code: Code, byteOffset: Int) {
        self.code = code
        self.byteOffset = byteOffset
    }

    public var description: String {
        switch code {
        case .truncated(let need): "record truncated: \(need) more bytes expected at byte \(byteOffset)"
        case .malformed(let reason): "\(reason) at byte \(byteOffset)"
        }
    }
}
