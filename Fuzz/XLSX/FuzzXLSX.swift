import Foundation
import ReportWriters

/// libFuzzer entry for the xlsx reader (6/6 item 5): a workbook from outside — the ZIP structure, inflate, the
/// workbook's relationships, shared strings and the sheet's XML — is read within small limits, so a hostile file's
/// every path is reached quickly; it is refused with a reason or read, never crashes or hangs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXLSX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var limits = XLSXReadLimits()
    limits.partBytesMax = 1 << 20
    limits.rowCountMax = 10_000
    limits.cellCountMax = 100_000
    _ = try? XLSXReader.firstSheet(of: Data(bytes: data, count: size), limits: limits)
    return 0
}
