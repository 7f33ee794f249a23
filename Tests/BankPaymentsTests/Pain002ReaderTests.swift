import BankPayments
import Foundation
import Testing

/// pain.002 in (7/7 item 2): the bank's status of each instruction by its end-to-end id, with its reasons. Every
/// report used here first validates against the published XSD of its version, so the reader is tested on real
/// pain.002, not on what it expects.
@Suite struct Pain002ReaderTests {
    static func report(version: String, groupStatus: String?, transactions: String, groupReasons: String = "") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.\(version)">
          <CstmrPmtStsRpt>
            <GrpHdr>
              <MsgId>CCB-STS-20261204-0001</MsgId>
              <CreDtTm>2026-12-04T09:30:00+08:00</CreDtTm>
            </GrpHdr>
            <OrgnlGrpInfAndSts>
              <OrgnlMsgId>340000-M2026-000017</OrgnlMsgId>
              <OrgnlMsgNmId>pain.001.001.\(version == "03" ? "03" : "09")</OrgnlMsgNmId>
        \(groupStatus.map { "      <GrpSts>\($0)</GrpSts>" } ?? "")
        \(groupReasons)
            </OrgnlGrpInfAndSts>
        \(transactions.isEmpty ? "" : """
            <OrgnlPmtInfAndSts>
              <OrgnlPmtInfId>340000-G2026-000031</OrgnlPmtInfId>
        \(transactions)
            </OrgnlPmtInfAndSts>
        """)
          </CstmrPmtStsRpt>
        </Document>
        """
    }

    static func transaction(_ endToEnd: String?, _ status: String?, reason: String? = nil, text: String? = nil) -> String {
        var lines = ["      <TxInfAndSts>"]
        if let endToEnd { lines.append("        <OrgnlEndToEndId>\(endToEnd)</OrgnlEndToEndId>") }
        if let status { lines.append("        <TxSts>\(status)</TxSts>") }
        if reason != nil || text != nil {
            lines.append("        <StsRsnInf>")
            if let reason { lines.append("          <Rsn><Cd>\(reason)</Cd></Rsn>") }
            if let text { lines.append("          <AddtlInf>\(text)</AddtlInf>") }
            lines.append("        </StsRsnInf>")
        }
        lines.append("      </TxInfAndSts>")
        return lines.joined(separator: "\n")
    }

    static func valid(_ xml: String, version: String) throws -> Data {
        let problems = try XMLSchemaValidator.problems(Array(xml.utf8), schema: "pain.002.001.\(version)")
        #expect(problems == nil, "\(problems ?? "")")
        return Data(xml.utf8)
    }

    @Test(arguments: ["03", "12"])
    func eachInstructionsStatusIsReadByItsEndToEndID(_ version: String) throws {
        let xml = Self.report(version: version, groupStatus: "PART", transactions: [
            Self.transaction("340123-P000012", "ACSC"),
            Self.transaction("340122-P000003", "RJCT", reason: "AC04", text: "收款账户已销户"),
            Self.transaction("340121-P000007", "PDNG"),
            Self.transaction("340121-P000008", "ACCP"),
        ].joined(separator: "\n"))
        let report = try Pain002Reader.read(try Self.valid(xml, version: version))
        #expect(report.messageID == "CCB-STS-20261204-0001" && report.originalMessageID == "340000-M2026-000017")
        #expect(report.groupStatus == .pending)
        #expect(report.instructions.map(\.endToEndID) == ["340123-P000012", "340122-P000003", "340121-P000007", "340121-P000008"])
        #expect(report.instructions.map(\.status) == [.settled, .rejected, .pending, .accepted])
        #expect(report.instructions[1].reasons == [PaymentStatusReason(code: "AC04", text: "收款账户已销户")])
        #expect(report.instructions[1].reasons.first?.description == "AC04 收款账户已销户")
    }

    @Test func aMessageRejectedWholeNamesNoInstructionAndATransactionWithoutStatusTakesItsGroups() throws {
        let reasons = "      <StsRsnInf><Rsn><Cd>FF01</Cd></Rsn><AddtlInf>报文格式错误</AddtlInf></StsRsnInf>"
        let whole = try Pain002Reader.read(try Self.valid(Self.report(version: "03", groupStatus: "RJCT", transactions: "", groupReasons: reasons),
                                                          version: "03"))
        #expect(whole.groupStatus == .rejected && whole.instructions.isEmpty)
        #expect(whole.groupReasons == [PaymentStatusReason(code: "FF01", text: "报文格式错误")])

        let inherited = try Pain002Reader.read(try Self.valid(Self.report(version: "12", groupStatus: "ACSP",
                                                                          transactions: Self.transaction("340123-P000012", nil)), version: "12"))
        #expect(inherited.instructions.first?.status == .accepted && inherited.instructions.first?.isoCode == "ACSP")
    }

    /// What a hostile or broken bank file could hold: each refused with a sentence, nothing guessed.
    @Test func aReportThatCannotBeTrustedIsRefused() throws {
        func refusal(_ xml: String) -> String? {
            do {
                _ = try Pain002Reader.read(Data(xml.utf8))
                return nil
            } catch {
                return error.description
            }
        }
        // Valid against pain.002.001.12 (its status is an external code), but no status anybody knows.
        let unknown = Self.report(version: "12", groupStatus: nil, transactions: Self.transaction("340123-P000012", "NOPE"))
        _ = try Self.valid(unknown, version: "12")
        #expect(refusal(unknown)?.contains("'NOPE' is not a payment status this reader knows") == true)
        #expect(refusal(Self.report(version: "03", groupStatus: nil, transactions: Self.transaction(nil, "ACSC")))?
            .contains("names no OrgnlEndToEndId") == true)
        #expect(refusal(Self.report(version: "03", groupStatus: nil, transactions: Self.transaction("NOTPROVIDED", "ACSC")))?
            .contains("names no OrgnlEndToEndId") == true)
        #expect(refusal(Self.report(version: "03", groupStatus: nil, transactions: Self.transaction("340123-P000012", nil)))?
            .contains("has no status") == true)
        let twice = [Self.transaction("E1", "ACSC"), Self.transaction("E1", "RJCT")].joined(separator: "\n")
        #expect(refusal(Self.report(version: "03", groupStatus: nil, transactions: twice))?.contains("gives E1 twice") == true)
        #expect(refusal("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><Document/>") != nil)
        #expect(refusal("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt/></Document>")?
            .contains("not a pain.002") == true)
        #expect(refusal("") != nil)
        #expect(refusal("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.03\"><CstmrPmtStsRpt>")?.contains("line") == true)
    }
}
