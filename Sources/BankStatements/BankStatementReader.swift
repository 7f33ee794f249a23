import Foundation

/// The statements of one file and the format they were read from.
public struct StatementFile: Hashable, Sendable {
    /// The format detected from the content.
    public var format: StatementFormat
    /// Every statement of the file, in file order.
    public var statements: [BankStatement]

    /// Creates a file's result.
    public init(format: StatementFormat, statements: [BankStatement]) {
        self.format = format
        self.statements = statements
    }
}

/// The entry point for a statement file of any supported format: detects the format from the content and reads
/// every statement, or refuses the whole file.
///
/// Reading does not check the numbers; do that before booking anything:
/// ```swift
/// let file = try BankStatementReader.read(Data(contentsOf: url))
/// try StatementValidation.validate(file.statements)   // balances and control totals
/// let gaps = StatementSequence.gaps(in: knownStatements + file.statements)
/// ```
public enum BankStatementReader {
    /// Detects the format of `data` and parses it.
    /// - Parameter timeZone: the account's (the bank's) time zone, in which camt.053 date-times become calendar
    ///   dates (``Camt053Parser/parse(_:timeZone:)``); UTC when not given. MT940 and the CSV layout carry dates
    ///   only, so it does not affect them.
    /// - Throws: ``StatementParseError`` from ``StatementFormatDetector`` or from the format's parser.
    public static func read(_ data: Data, timeZone: TimeZone = Camt053Parser.defaultTimeZone)
        throws(StatementParseError) -> StatementFile {
        guard !data.isEmpty else { throw StatementParseError(.empty) }
        guard data.count <= BankStatementLimits.fileBytesMax else {
            throw StatementParseError(.fileTooLarge(sizeBytes: data.count, sizeBytesMax: BankStatementLimits.fileBytesMax))
        }
        let format = try StatementFormatDetector.detect(data)
        switch format {
        case .camt053:
            return StatementFile(format: format, statements: try Camt053Parser.parse(data, timeZone: timeZone))
        case .mt940: return StatementFile(format: format, statements: try MT940Parser.parse(data))
        case .csv: return StatementFile(format: format, statements: try CSVStatementParser.parse(data))
        }
    }
}
