import BatchWire
import LedgerCore

/// libFuzzer entry: the first byte picks the decoder, the rest is its input. Every path must either return a
/// value or throw its typed error: a crash, trap or hang is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBatchDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let selector = bytes.first else { return 0 }
    let input = Array(bytes.dropFirst())
    switch selector % 4 {
    case 0:
        if let envelope = try? BatchEnvelope.parse(input) { _ = envelope.header.endStreamPosition }
    case 1:
        _ = try? PayloadCodec.decode(input, changeCount: Int(selector / 4))
    case 2:
        _ = try? Deflate.inflate(input[...], expectedBytes: 4096)
    default:
        _ = try? ChangeCodec.decode(input, range: 0..<input.count)
    }
    return 0
}
