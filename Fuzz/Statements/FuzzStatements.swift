import BankStatements
import Foundation

/// libFuzzer entry for the statement parsers (format detection, camt.053, MT940, CSV) and their validation.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStatements(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Data(bytes: data, count: size)
    if let file = try? BankStatementReader.read(input) {
        _ = StatementValidation.problems(in: file.statements)
        _ = StatementSequence.gaps(in: file.statements)
    }
    return 0
}
