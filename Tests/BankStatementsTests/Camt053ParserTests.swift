import Foundation
import LedgerCore
import Testing
import BankStatements

/// Hand-written camt.053 cases: a version 001.08 file with every field the model takes, and every way a file can
/// be broken, each with the exact error (code, line and element path).
@Suite struct Camt053ParserTests {
    static func document(version: String = "08", _ statements: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.\(version)">
        <BkToCstmrStmt>
        <GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-11-02T18:00:00+08:00</CreDtTm></GrpHdr>
        \(statements)
        </BkToCstmrStmt>
        </Document>
        """
    }

    static func balance(_ code: String, _ amount: String, _ mark: String = "CRDT", currency: String = "CNY",
                        date: String = "2026-11-02") -> String {
        "<Bal><Tp><CdOrPrtry><Cd>\(code)</Cd></CdOrPrtry></Tp><Amt Ccy=\"\(currency)\">\(amount)</Amt>"
            + "<CdtDbtInd>\(mark)</CdtDbtInd><Dt><Dt>\(date)</Dt></Dt></Bal>"
    }

    static func entry(_ amount: String, _ mark: String, currency: String = "CNY", status: String = "<Cd>BOOK</Cd>",
                      extra: String = "") -> String {
        "<Ntry><Amt Ccy=\"\(currency)\">\(amount)</Amt><CdtDbtInd>\(mark)</CdtDbtInd>\(extra)<Sts>\(status)</Sts>"
            + "<BookgDt><DtTm>2026-11-02T10:15:00+08:00</DtTm></BookgDt><ValDt><Dt>2026-11-03</Dt></ValDt></Ntry>"
    }

    static func statement(id: String = "S1", balances: String, entries: String, extra: String = "") -> String {
        "<Stmt><Id>\(id)</Id><LglSeqNb>308</LglSeqNb><Acct><Id><Othr><Id>6222021001</Id></Othr></Id>"
            + "<Ccy>CNY</Ccy></Acct>\(balances)\(extra)\(entries)</Stmt>"
    }

    static let richEntry = entry("250.50", "DBIT", extra: "<RvslInd>true</RvslInd>") .replacingOccurrences(
        of: "</ValDt>",
        with: "</ValDt><AcctSvcrRef>B77</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd>"
            + "<SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls><TxDtls><Refs><EndToEndId>INV-12"
            + "</EndToEndId></Refs><RltdPties><Cdtr><Pty><Nm>Hefei Water</Nm></Pty></Cdtr></RltdPties><RmtInf>"
            + "<Ustrd>Water bill</Ustrd><Ustrd>December</Ustrd></RmtInf></TxDtls></NtryDtls>"
            + "<AddtlNtryInf>Reversed</AddtlNtryInf>")

    static let summary = "<TxsSummry><TtlNtries><NbOfNtries>2</NbOfNtries><Sum>1450.50</Sum><TtlNetNtry><Amt>949.50"
        + "</Amt><CdtDbtInd>CRDT</CdtDbtInd></TtlNetNtry></TtlNtries><TtlCdtNtries><NbOfNtries>1</NbOfNtries><Sum>"
        + "1200.00000</Sum></TtlCdtNtries><TtlDbtNtries><NbOfNtries>1</NbOfNtries><Sum>250.5</Sum></TtlDbtNtries>"
        + "</TxsSummry>"

    @Test func readsVersion08WithEveryField() throws {
        let xml = Self.document(Self.statement(
            balances: Self.balance("PRCD", "1000.00", date: "2026-11-01") + Self.balance("CLBD", "1949.50"),
            entries: Self.richEntry + Self.entry("1200", "CRDT"), extra: Self.summary))
        let statement = try #require(try Camt053Parser.parse(Data(xml.utf8)).first)
        #expect(statement.account == "6222021001" && statement.currency == .cny && statement.statementID == "S1")
        #expect(statement.sequenceNumber == 308)
        #expect(statement.openingBalance == AmountMinorUnits(100_000))
        #expect(statement.openingDate == BusinessDate("2026-11-01"))
        #expect(statement.closingBalance == AmountMinorUnits(194_950))
        #expect(statement.controlTotals == StatementControlTotals(
            entryCount: 2, entrySum: AmountMinorUnits(145_050), netAmount: AmountMinorUnits(94_950), creditCount: 1,
            creditSum: AmountMinorUnits(120_000), debitCount: 1, debitSum: AmountMinorUnits(25_050)))
        #expect(statement.entries.first == BankStatementEntry(
            bookingDate: BusinessDate("2026-11-02")!, valueDate: BusinessDate("2026-11-03"),
            amount: AmountMinorUnits(-25_050), reference: "B77", counterparty: "Hefei Water",
            narrative: "Water bill\nDecember", mark: .debit, isReversal: true, customerReference: "INV-12",
            bankTransactionCode: "PMNT/ICDT/ESCT", additionalInformation: "Reversed", line: 5))
        #expect(statement.entries.last?.amount == AmountMinorUnits(120_000))
        try statement.validateBalances()
    }

    static let twoBalances = balance("OPBD", "100.00") + balance("CLBD", "100.00")
    static let statementPath = "Document/BkToCstmrStmt/Stmt[1]"

    static let malformed: [(String, String, StatementParseError)] = [
        ("bad amount", document(statement(balances: twoBalances, entries: entry("12,50", "CRDT"))),
         StatementParseError(.invalidAmount(field: "Amt"), format: .camt053, line: 5,
                             elementPath: statementPath + "/Ntry[1]/Amt")),
        ("negative amount", document(statement(balances: twoBalances, entries: entry("-5.00", "DBIT"))),
         StatementParseError(.invalidAmount(field: "Amt"), format: .camt053, line: 5,
                             elementPath: statementPath + "/Ntry[1]/Amt")),
        ("missing closing balance", document(statement(balances: balance("OPBD", "1.00"), entries: "")),
         StatementParseError(.missingField("Bal of type CLBD (closing booked balance)"), format: .camt053, line: 5,
                             elementPath: statementPath)),
        ("decimals in JPY", document(statement(balances: twoBalances, entries: "").replacingOccurrences(
            of: "<Ccy>CNY</Ccy></Acct><Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"CNY\">100.00",
            with: "<Ccy>JPY</Ccy></Acct><Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"JPY\">100.50")),
         StatementParseError(.tooManyDecimals(field: "Amt", currency: "JPY", minorUnitDigitsMax: 0), format: .camt053,
                             line: 5, elementPath: statementPath + "/Bal[1]/Amt")),
        ("more decimals than CNY has", document(statement(balances: twoBalances, entries: entry("1.005", "CRDT"))),
         StatementParseError(.tooManyDecimals(field: "Amt", currency: "CNY", minorUnitDigitsMax: 2), format: .camt053,
                             line: 5, elementPath: statementPath + "/Ntry[1]/Amt")),
        ("entry in another currency", document(statement(balances: twoBalances,
                                                         entries: entry("1.00", "CRDT", currency: "USD"))),
         StatementParseError(.currencyMismatch(field: "Ntry/Amt", expected: "CNY", found: "USD"), format: .camt053,
                             line: 5, elementPath: statementPath + "/Ntry[1]/Amt")),
        ("pending entry", document(statement(balances: twoBalances, entries: entry("1.00", "CRDT",
                                                                                   status: "<Cd>PDNG</Cd>"))),
         StatementParseError(.unsupportedEntryStatus("PDNG"), format: .camt053, line: 5,
                             elementPath: statementPath + "/Ntry[1]/Sts")),
        ("OPBD and PRCD disagree", document(statement(balances: twoBalances + balance("PRCD", "99.00"), entries: "")),
         StatementParseError(.inconsistentOpeningBalances, format: .camt053, line: 5,
                             elementPath: statementPath + "/Bal[3]")),
        ("version 001.01", document(version: "01", statement(balances: twoBalances, entries: "")),
         StatementParseError(.unsupportedNamespace("urn:iso:std:iso:20022:tech:xsd:camt.053.001.01"),
                             format: .camt053, line: 2, elementPath: "Document")),
        ("no statement", document(""),
         StatementParseError(.noStatements, format: .camt053, line: 3, elementPath: "Document/BkToCstmrStmt")),
        ("a DOCTYPE", "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">]>" + document(""),
         StatementParseError(.documentTypeNotAllowed, format: .camt053)),
    ]

    @Test(arguments: malformed)
    func refusesAMalformedFileWithTheExactReason(name: String, xml: String, error: StatementParseError) {
        #expect(throws: error, "\(name)") { try Camt053Parser.parse(Data(xml.utf8)) }
    }

    /// A file cut off in transfer is not well-formed XML, refused at the line where it ends.
    @Test func refusesATruncatedFile() {
        let xml = Self.document(Self.statement(balances: Self.twoBalances, entries: Self.entry("1.00", "CRDT")))
        let cut = String(xml.prefix(xml.count - 60))
        #expect(throws: StatementParseError(.malformedXML("the document ends before its elements are closed (it was "
                                                          + "cut off)"), format: .camt053, line: 5)) {
            try Camt053Parser.parse(Data(cut.utf8))
        }
        #expect(throws: StatementParseError(.malformedXML("an end tag does not match its start tag"), format: .camt053,
                                            line: 5)) {
            try Camt053Parser.parse(Data(xml.replacingOccurrences(of: "</Stmt>", with: "</Stmnt>").utf8))
        }
    }

    @Test func anUnbalancedStatementAndWrongControlTotalsAreCaughtByValidation() throws {
        let unbalanced = Self.document(Self.statement(
            balances: Self.balance("OPBD", "100.00") + Self.balance("CLBD", "5.00", "DBIT"),
            entries: Self.entry("100.00", "DBIT")))
        let statement = try #require(try Camt053Parser.parse(Data(unbalanced.utf8)).first)
        #expect(throws: StatementValidationError(.unbalanced(openingMinorUnits: 10_000, entriesMinorUnits: -10_000,
                                                             closingMinorUnits: -500),
                                                 statementID: "S1", currency: .cny, line: 5)) {
            try statement.validateBalances()
        }
        let wrongCount = Self.document(Self.statement(
            balances: Self.twoBalances, entries: "",
            extra: "<TxsSummry><TtlNtries><NbOfNtries>3</NbOfNtries></TtlNtries></TxsSummry>"))
        let counted = try #require(try Camt053Parser.parse(Data(wrongCount.utf8)).first)
        #expect(throws: StatementValidationError(.controlTotalMismatch(total: "entry count", statedValue: 3,
                                                                       actualValue: 0),
                                                 statementID: "S1", currency: .cny, line: 5)) {
            try counted.validateBalances()
        }
    }

    @Test func readsAllStatementsOfAFileOrNone() throws {
        let good = Self.statement(id: "S1", balances: Self.twoBalances, entries: "")
        let bad = Self.statement(id: "S2", balances: Self.balance("OPBD", "1.00"), entries: "")
        #expect(try Camt053Parser.parse(Data(Self.document(good + good.replacingOccurrences(of: "S1", with: "S2")).utf8))
            .map(\.statementID) == ["S1", "S2"])
        #expect(throws: StatementParseError.self) { try Camt053Parser.parse(Data(Self.document(good + bad).utf8)) }
    }
}
