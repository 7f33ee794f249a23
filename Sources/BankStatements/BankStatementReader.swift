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
        case .camt054, .camt052:
            // Not statements (no opening and closing balance to prove): the detector never names them.
            throw StatementParseError(.unrecognizedFormat, format: format)
        }
    }

    /// Reads `data` as ``read(_:timeZone:)`` does, each camt.053 statement's date-times in its own account's zone:
    /// `timeZoneOf` gives the zone the registry keeps for an account (`nil`: none kept), and a statement of an account
    /// without one is read in `fallback`. The file is read once in `fallback`, then once more per other zone its
    /// accounts have, each statement taken from the reading in its account's zone; MT940 and the CSV layout carry
    /// dates only, so they are read once.
    /// - Throws: ``StatementParseError`` from any of the readings.
    public static func read(_ data: Data, timeZoneOf: (String) -> TimeZone?,
                            fallback: TimeZone = Camt053Parser.defaultTimeZone) throws(StatementParseError) -> StatementFile {
        var file = try read(data, timeZone: fallback)
        guard file.format == .camt053 else { return file }
        let zones = file.statements.map { timeZoneOf($0.account) ?? fallback }
        for zone in Set(zones.map(\.identifier)).sorted() where zone != fallback.identifier {
            guard let timeZone = TimeZone(identifier: zone) else { continue }
            let again = try read(data, timeZone: timeZone)
            // The same bytes give the same statements in the same order; only their dates differ.
            for index in file.statements.indices where zones[index].identifier == zone && index < again.statements.count {
                file.statements[index] = again.statements[index]
            }
        }
        return file
    }
}
