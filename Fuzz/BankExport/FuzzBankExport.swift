import BankStatements
import Foundation

/// libFuzzer entry for Chinese banks' exports (6/6 item 5): the first byte picks a built-in bank profile, the rest is
/// the file (GB18030 or UTF-8 text, CSV or TXT, or an xlsx workbook); the same bytes are also read as a profile file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBankExport(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let profiles = BankProfiles.all
    let profile = profiles[Int(data[0]) % profiles.count]
    let input = Data(bytes: data + 1, count: size - 1)
    if let statement = try? BankExportParser.parse(input, profile: profile) {
        _ = StatementSummary(statement, format: profile.id)
    }
    _ = try? BankProfile.load(input)
    _ = try? GB18030Text.decode(input, encodings: [.utf8, .gb18030])
    return 0
}
