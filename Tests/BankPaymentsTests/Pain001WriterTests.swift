import BankPayments
import Foundation
import LedgerCore
import Testing

/// pain.001 out (7/7 item 1): every message the writer produces validates against the published XSD of its version
/// (xmllint, DECISIONS: 001.001.03 and 001.001.09), carries its control sums and one end-to-end id per instruction, and
/// a message that breaks a rule is refused whole, never half written.
@Suite struct Pain001WriterTests {
    static let day = BusinessDate("2026-12-04")!

    static func instruction(_ id: String, _ amount: Int64, currency: CurrencyCode = .cny, name: String = "合肥新华办公用品有限公司",
                            account: String = "1302016809100245713", agent: PaymentAgent = .cnaps("102361000021"),
                            remittance: String = "办税服务厅办公用品 (P000012)") -> PaymentInstruction {
        PaymentInstruction(endToEndID: id, amount: AmountMinorUnits(amount), currency: currency,
                           creditor: PaymentParty(name: name, account: PaymentAccount(account), agent: agent), remittance: remittance)
    }

    /// Two groups: the fund centre's CNY account paying two suppliers through CNAPS, and a EUR account paying by IBAN and
    /// BIC, with a name that needs escaping.
    static func message(_ groups: [PaymentGroup]? = nil) -> PaymentMessage {
        PaymentMessage(id: "340000-M2026-000017", createdAtMilliseconds: 1_796_263_500_000, initiatingParty: "安徽省财政厅资金结算中心",
                       groups: groups ?? [
                           PaymentGroup(id: "340000-G2026-000031", debtor: PaymentParty(name: "安徽省财政厅", account: PaymentAccount("1302010129000051236"),
                                                                                       agent: .cnaps("102361000013")),
                                        requestedExecutionDate: day, instructions: [
                                            instruction("340123-P000012", 6_840_000),
                                            instruction("340122-P000003", 125_050, name: "肥东县供水有限公司 & 子公司", account: "34001486008050012345",
                                                        agent: .notProvided, remittance: "11月水费"),
                                        ]),
                           PaymentGroup(id: "340000-G2026-000032", debtor: PaymentParty(name: "Anhui Treasury EUR", account: PaymentAccount("DE89370400440532013000"),
                                                                                       agent: .bic("COBADEFFXXX")),
                                        requestedExecutionDate: day, instructions: [
                                            instruction("340000-P000101", 99_999, currency: CurrencyCode("EUR")!, name: "Müller <GmbH>",
                                                        account: "FR1420041010050500013M02606", agent: .bic("BNPAFRPP"), remittance: "Invoice 2026/11-7"),
                                        ]),
                       ])
    }

    @Test(arguments: Pain001Version.allCases)
    func everyMessageValidatesAgainstItsPublishedSchema(_ version: Pain001Version) throws {
        let xml = try Pain001Writer.write(Self.message(), version: version)
        let problems = try XMLSchemaValidator.problems(xml, schema: version.rawValue)
        #expect(problems == nil, "\(problems ?? "")\n\(String(decoding: xml, as: UTF8.self))")
        let text = String(decoding: xml, as: UTF8.self)
        #expect(text.contains("<NbOfTxs>3</NbOfTxs>") && text.contains("<CtrlSum>70650.49</CtrlSum>"), "three instructions, ¥68,400.00 + ¥1,250.50 + €999.99")
        #expect(text.contains("<CtrlSum>69650.50</CtrlSum>") && text.contains("<CtrlSum>999.99</CtrlSum>"), "each group's own sum")
        for id in ["340123-P000012", "340122-P000003", "340000-P000101"] { #expect(text.contains("<EndToEndId>\(id)</EndToEndId>")) }
        #expect(text.contains("<InstdAmt Ccy=\"CNY\">68400.00</InstdAmt>") && text.contains("<InstdAmt Ccy=\"EUR\">999.99</InstdAmt>"))
        #expect(text.contains("肥东县供水有限公司 &amp; 子公司") && text.contains("Müller &lt;GmbH&gt;"))
        #expect(text.contains("<CreDtTm>2026-12-03T10:05:00+08:00</CreDtTm>"))
        #expect(text.contains(version == .v03 ? "<BIC>COBADEFFXXX</BIC>" : "<BICFI>COBADEFFXXX</BICFI>"))
        #expect(text.contains(version == .v03 ? "<ReqdExctnDt>2026-12-04</ReqdExctnDt>" : "<Dt>2026-12-04</Dt>"))
        #expect(text.contains("<Cd>CNAPS</Cd>") && text.contains("<MmbId>102361000021</MmbId>"))
    }

    /// The validator itself refuses what the schema forbids: the test would catch a writer that drifted.
    @Test func theValidatorRefusesAMessageTheSchemaForbids() throws {
        let xml = try Pain001Writer.write(Self.message(), version: .v03)
        let broken = String(decoding: xml, as: UTF8.self).replacingOccurrences(of: "<PmtMtd>TRF</PmtMtd>", with: "<PmtMtd>XXX</PmtMtd>")
        #expect(try XMLSchemaValidator.problems(Array(broken.utf8), schema: "pain.001.001.03") != nil)
        #expect(try XMLSchemaValidator.problems(xml, schema: "pain.001.001.09") != nil, "a 03 message is no 09 message")
    }

    @Test func aMessageThatBreaksARuleIsRefusedWhole() {
        func refusal(_ change: (inout PaymentMessage) -> Void) -> String? {
            var message = Self.message()
            change(&message)
            do {
                _ = try Pain001Writer.write(message, version: .v09)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(refusal { _ in } == nil)
        #expect(refusal { $0.groups[0].instructions[1].endToEndID = "340123-P000012" }?.contains("appears twice") == true)
        #expect(refusal { $0.groups[1].instructions[0].endToEndID = "340123-P000012" }?.contains("appears twice") == true, "across groups too")
        #expect(refusal { $0.groups[0].instructions[0].amount = .zero }?.contains("not positive") == true)
        #expect(refusal { $0.groups[0].instructions[0].amount = AmountMinorUnits(Limits.amountMinorUnitsMax + 1) }?.contains("beyond the cap") == true)
        #expect(refusal { $0.groups[0].instructions[0].creditor.name = String(repeating: "财", count: 141) }?.contains("141 characters, more than the 140") == true)
        #expect(refusal { $0.groups[0].instructions[0].remittance = "line\u{7}bell" }?.contains("control character") == true)
        #expect(refusal { $0.groups[0].instructions[0].endToEndID = "P-中文" }?.contains("is not an end-to-end id") == true)
        #expect(refusal { $0.groups[0].instructions[0].endToEndID = String(repeating: "A", count: 36) }?.contains("is not an end-to-end id") == true)
        #expect(refusal { $0.groups[1].debtor.agent = .bic("COBADEF") }?.contains("is not a BIC") == true)
        #expect(refusal { $0.groups[0].debtor.agent = .cnaps("10236100001") }?.contains("CNAPS") == true)
        #expect(refusal { $0.groups[0].instructions = [] }?.contains("at least one instruction") == true)
        #expect(refusal { $0.groups[1].id = $0.groups[0].id }?.contains("group id") == true)
        #expect(refusal { $0.id = "" }?.contains("is empty") == true)
        #expect(refusal { $0.groups[0].instructions[0].creditor.name = " 前导空格" }?.contains("begins or ends with a space") == true)
        let many = (0..<Pain001Writer.instructionCountMax + 1).map { Self.instruction("E\($0)", 1) }
        #expect(refusal { $0.groups = [PaymentGroup(id: "G", debtor: $0.groups[0].debtor, requestedExecutionDate: Self.day, instructions: many)] }?
            .contains("more than \(Pain001Writer.instructionCountMax)") == true)
    }

    @Test func anIBANLooksLikeOneAndEverythingElseIsTheBanksOwnNumber() {
        #expect(PaymentAccount("DE89370400440532013000") == .iban("DE89370400440532013000"))
        #expect(PaymentAccount("1302010129000051236") == .other("1302010129000051236"))
        #expect(PaymentAccount("37040044/0532013000") == .other("37040044/0532013000"))
        #expect(PaymentAccount("12-345601040001234") == .other("12-345601040001234"))
    }
}

@Suite struct ISODateTimeTests {
    @Test func headerTimesAreTheSendersLocalTimeWithItsOffset() throws {
        let instruction = Pain001WriterTests.instruction("E1", 100)
        func created(_ milliseconds: Int64, offset: Int) throws -> String {
            let message = PaymentMessage(id: "M", createdAtMilliseconds: milliseconds, utcOffsetMinutes: offset, initiatingParty: "P", groups: [
                PaymentGroup(id: "G", debtor: instruction.creditor, requestedExecutionDate: Pain001WriterTests.day, instructions: [instruction]),
            ])
            let text = String(decoding: try Pain001Writer.write(message, version: .v09), as: UTF8.self)
            return String(text.split(separator: "<CreDtTm>")[1].split(separator: "<")[0])
        }
        #expect(try created(0, offset: 0) == "1970-01-01T00:00:00Z")
        #expect(try created(1_796_263_500_999, offset: 480) == "2026-12-03T10:05:00+08:00")
        #expect(try created(1_796_263_500_000, offset: -330) == "2026-12-02T20:35:00-05:30")
        #expect(try created(-1, offset: 0) == "1969-12-31T23:59:59Z")
    }
}
