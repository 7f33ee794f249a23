import BankPayments
import BankStatements
import Foundation
import LedgerCore
import SimulatedBank
import Testing

/// The simulated bank (7/7 item 3) answers in messages a real bank's customer would accept: every file it writes
/// validates against the published XSD of its message, and reads back through FundSync's own readers.
@Suite struct SimulatedBankTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fundsync-simbank-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("outbox"), withIntermediateDirectories: true)
        return url
    }

    static func put(_ message: PaymentMessage, in folder: URL) throws {
        try Data(try Pain001Writer.write(message, version: .v03)).write(to: folder.appendingPathComponent("outbox/\(message.id).xml"))
    }

    static func inbox(_ folder: URL) throws -> [(name: String, data: Data)] {
        let path = folder.appendingPathComponent("inbox")
        return try FileManager.default.contentsOfDirectory(atPath: path.path).filter { $0.hasSuffix(".xml") }.sorted()
            .map { ($0, try Data(contentsOf: path.appendingPathComponent($0))) }
    }

    static func schema(of data: Data) -> String {
        let text = String(decoding: data.prefix(400), as: UTF8.self)
        return ["pain.002.001.03", "camt.054.001.02", "camt.053.001.02"].first { text.contains($0) } ?? "unknown"
    }

    @Test func everyAnswerValidatesAndReadsBack() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let message = Pain001WriterTests.message()
        try Self.put(message, in: folder)
        let bank = try SimulatedBank(folder: folder, behaviour: SimulatedBankBehaviour(
            rejects: ["340122-P000003": SimulatedBankReason(code: "AC04", text: "收款账户已销户")]), bookingDate: BusinessDate("2026-12-04")!)
        let run = try bank.run()
        #expect(run.messages == [message.id] && run.paid == ["340123-P000012", "340000-P000101"] && run.rejected == ["340122-P000003"])
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("outbox/taken/\(message.id).xml").path),
                "taken from the outbox as a front-end machine does")
        try bank.endOfDay(BusinessDate("2026-12-04")!, openings: ["1302010129000051236": 10_000_000])
        var statuses: [String: PaymentStatus] = [:]
        var booked: [String] = []
        var statements = 0
        for (name, data) in try Self.inbox(folder) {
            let schema = Self.schema(of: data)
            let problems = try XMLSchemaValidator.problems(Array(data), schema: schema)
            #expect(problems == nil, "\(name) against \(schema): \(problems ?? "")")
            switch schema {
            case "pain.002.001.03":
                for status in try Pain002Reader.read(data).instructions { statuses[status.endToEndID] = status.status }
            case "camt.054.001.02":
                booked += try CamtAccountMessageParser.parse(data).flatMap(\.entries).map(\.customerReference)
            default:
                let statement = try #require(try Camt053Parser.parse(data).first)
                try statement.validateBalances()
                statements += 1
            }
        }
        #expect(statuses == ["340123-P000012": .settled, "340000-P000101": .settled, "340122-P000003": .rejected])
        #expect(booked.sorted() == ["340000-P000101", "340123-P000012"])
        #expect(statements == 2, "one per account the bank booked on")
    }

    @Test func aRepeatedEndToEndIDIsRefusedUnlessTheBankPaysDuplicates() throws {
        for accepts in [false, true] {
            let folder = try Self.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let bank = try SimulatedBank(folder: folder, behaviour: SimulatedBankBehaviour(acceptsDuplicates: accepts),
                                         bookingDate: BusinessDate("2026-12-04")!)
            var message = Pain001WriterTests.message()
            try Self.put(message, in: folder)
            try bank.run()
            message.id = "340000-M2026-000018"
            try Self.put(message, in: folder)
            let second = try bank.run()
            if accepts {
                #expect(bank.paidTwice == ["340000-P000101", "340122-P000003", "340123-P000012"], "such a bank pays again: the sender must never send")
            } else {
                #expect(second.rejected.count == 3 && bank.paidTwice.isEmpty)
            }
            // A restarted bank still remembers what it has seen.
            #expect(try SimulatedBank(folder: folder, bookingDate: BusinessDate("2026-12-04")!).knows("340123-P000012"))
        }
    }

    @Test func aWrittenMessageReadsBackAsItWasWritten() throws {
        let message = Pain001WriterTests.message()
        for version in Pain001Version.allCases {
            let (read, name) = try Pain001Reader.read(Data(try Pain001Writer.write(message, version: version)))
            #expect(name == version.rawValue)
            var expected = message
            expected.createdAtMilliseconds = 0
            #expect(read == expected)
        }
        let tampered = String(decoding: try Pain001Writer.write(message, version: .v03), as: UTF8.self)
            .replacingOccurrences(of: "<NbOfTxs>3</NbOfTxs>", with: "<NbOfTxs>4</NbOfTxs>")
        #expect(throws: PaymentMessageError.self) { try Pain001Reader.read(Data(tampered.utf8)) }
    }
}
