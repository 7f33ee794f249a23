import BankStatements
import Foundation
import LedgerCore
import Testing

/// camt.054 and camt.052 in (7/7 item 2): the bank's notice of each booking with the end-to-end id of the
/// instruction it executes, and its intraday balances. Each message here validates against its published XSD first.
@Suite struct CamtAccountMessageTests {
    static func entry(_ amount: String, _ mark: String, endToEnd: String?, status: String, booked: String, version: Int) -> String {
        let statusXML = version >= 8 ? "<Sts><Cd>\(status)</Cd></Sts>" : "<Sts>\(status)</Sts>"
        let refs = endToEnd.map { "<NtryDtls><TxDtls><Refs><EndToEndId>\($0)</EndToEndId></Refs></TxDtls></NtryDtls>" } ?? ""
        return """
              <Ntry>
                <Amt Ccy="CNY">\(amount)</Amt>
                <CdtDbtInd>\(mark)</CdtDbtInd>
                \(statusXML)
                <BookgDt><DtTm>\(booked)</DtTm></BookgDt>
                <AcctSvcrRef>CCB-\(endToEnd ?? "FEE")</AcctSvcrRef>
                <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>
                \(refs)
              </Ntry>
        """
    }

    static func notification(version: Int, entries: [String]) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.0\(version)">
          <BkToCstmrDbtCdtNtfctn>
            <GrpHdr><MsgId>CCB-NTF-0001</MsgId><CreDtTm>2026-12-04T15:00:00+08:00</CreDtTm></GrpHdr>
            <Ntfctn>
              <Id>NTF-20261204-1</Id>
              <CreDtTm>2026-12-04T15:00:00+08:00</CreDtTm>
              <Acct><Id><Othr><Id>1302010129000051236</Id></Othr></Id><Ccy>CNY</Ccy></Acct>
        \(entries.joined(separator: "\n"))
            </Ntfctn>
          </BkToCstmrDbtCdtNtfctn>
        </Document>
        """
    }

    static func valid(_ xml: String, schema: String) throws -> Data {
        let problems = try XMLSchemaValidator.problems(Array(xml.utf8), schema: schema)
        #expect(problems == nil, "\(problems ?? "")")
        return Data(xml.utf8)
    }

    @Test(arguments: [2, 8])
    func aDebitNotificationCarriesTheEndToEndIDAndTheBanksBookingDay(_ version: Int) throws {
        let xml = Self.notification(version: version, entries: [
            Self.entry("68400.00", "DBIT", endToEnd: "340123-P000012", status: "BOOK", booked: "2026-12-04T01:30:00Z", version: version),
            Self.entry("2.50", "DBIT", endToEnd: nil, status: "BOOK", booked: "2026-12-04T16:30:00Z", version: version),
            Self.entry("1250.50", "DBIT", endToEnd: "340122-P000003", status: "PDNG", booked: "2026-12-04T02:00:00Z", version: version),
        ])
        let data = try Self.valid(xml, schema: "camt.054.001.0\(version)")
        let shanghai = try #require(TimeZone(identifier: "Asia/Shanghai"))
        let message = try #require(try CamtAccountMessageParser.parse(data, timeZone: shanghai).first)
        #expect(message.format == .camt054 && message.id == "NTF-20261204-1" && message.account == "1302010129000051236")
        #expect(message.entries.map(\.customerReference) == ["340123-P000012", ""])
        #expect(message.entries.map(\.amount) == [AmountMinorUnits(-6_840_000), AmountMinorUnits(-250)])
        #expect(message.entries.map(\.bookingDate.description) == ["2026-12-04", "2026-12-05"], "the bank's local day: 16:30Z is past midnight in Shanghai")
        #expect(message.unbookedEntryCount == 1, "a pending entry is no money moved")
        #expect(message.balances.isEmpty && message.latestBookedBalance == nil)
    }

    @Test func anIntradayReportGivesTheLatestBookedBalance() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.08">
          <BkToCstmrAcctRpt>
            <GrpHdr><MsgId>CCB-RPT-0001</MsgId><CreDtTm>2026-12-04T17:00:00+08:00</CreDtTm></GrpHdr>
            <Rpt>
              <Id>RPT-20261204-17</Id>
              <Acct><Id><Othr><Id>1302010129000051236</Id></Othr></Id><Ccy>CNY</Ccy></Acct>
              <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="CNY">1000000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-04</Dt></Dt></Bal>
              <Bal><Tp><CdOrPrtry><Cd>ITBD</Cd></CdOrPrtry></Tp><Amt Ccy="CNY">931600.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-04</Dt></Dt></Bal>
              <Bal><Tp><CdOrPrtry><Cd>ITAV</Cd></CdOrPrtry></Tp><Amt Ccy="CNY">900000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-04</Dt></Dt></Bal>
        \(Self.entry("68400.00", "DBIT", endToEnd: "340123-P000012", status: "BOOK", booked: "2026-12-04T09:30:00+08:00", version: 8))
            </Rpt>
          </BkToCstmrAcctRpt>
        </Document>
        """
        let message = try #require(try CamtAccountMessageParser.parse(try Self.valid(xml, schema: "camt.052.001.08")).first)
        #expect(message.format == .camt052 && message.balances.map(\.type) == ["OPBD", "ITBD", "ITAV"])
        #expect(message.latestBookedBalance?.type == "ITBD" && message.latestBookedBalance?.amount == AmountMinorUnits(93_160_000))
        #expect(message.entries.first?.customerReference == "340123-P000012")
    }

    @Test func whatIsNotANotificationOrReportIsRefused() throws {
        func refusal(_ xml: String) -> String? {
            do {
                _ = try CamtAccountMessageParser.parse(Data(xml.utf8))
                return nil
            } catch {
                return error.description
            }
        }
        #expect(refusal("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt/></Document>") != nil)
        let otherCurrency = Self.notification(version: 2, entries: [
            Self.entry("1.00", "DBIT", endToEnd: "E1", status: "BOOK", booked: "2026-12-04T01:30:00Z", version: 2),
        ]).replacingOccurrences(of: "<Amt Ccy=\"CNY\">1.00</Amt>", with: "<Amt Ccy=\"USD\">1.00</Amt>")
        #expect(refusal(otherCurrency)?.contains("camt.054") == true, "errors name the message they are in")
        #expect(refusal(Self.notification(version: 2, entries: []).replacingOccurrences(of: "<Ntfctn>", with: "<Ntfctn><X/>")) == nil,
                "a notification without entries is read, with none")
    }
}
