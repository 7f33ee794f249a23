import Foundation
import NodeAgent
import Testing

/// Regression tests of issue 2/6, finding 8 (voucher files): a duplicate key or an unknown field (`"reveiwer"`) is
/// refused with the field's name, instead of posting a voucher without a reviewer or with whichever value the JSON
/// decoder kept.
@Suite struct VoucherFileTests {
    static let good = #"{"vouchers": [{"date": "2026-11-02", "memo": "m", "preparer": "A", "reviewer": "B", "lines": [{"account": "X", "debit": "1.00"}, {"account": "Y", "credit": "1.00"}]}]}"#

    @Test func aWellFormedFileDecodes() throws {
        let drafts = try VoucherDraft.decodeFile(Data(Self.good.utf8))
        #expect(drafts.count == 1 && drafts[0].reviewer == "B" && drafts[0].lines?.count == 2)
        let bare = try VoucherDraft.decodeFile(Data(#"[{"date": "2026-11-02", "lines": []}]"#.utf8))
        #expect(bare.count == 1)
    }

    /// Each case names the field, so a clerk can find the typo; nothing is decoded.
    @Test(arguments: [
        (Self.good.replacingOccurrences(of: "\"reviewer\"", with: "\"reveiwer\""), "reveiwer"),
        (Self.good.replacingOccurrences(of: #""debit": "1.00"}"#, with: #""debit": "1.00", "debit": "1000000.00"}"#), "debit"),
        (Self.good.replacingOccurrences(of: #"{"vouchers""#, with: #"{"vouchers": [], "vouchers""#), "vouchers"),
        (Self.good.replacingOccurrences(of: #""memo": "m""#, with: #""memo": "m", "m\u0065mo": "n""#), "memo"),
        (Self.good.replacingOccurrences(of: #""account": "X""#, with: #""account": "X", "amount": "5""#), "amount"),
    ])
    func aDuplicateOrUnknownFieldIsRefusedByName(_ json: String, field: String) {
        let error = #expect(throws: VoucherFileError.self) { try VoucherDraft.decodeFile(Data(json.utf8)) }
        #expect(error?.description.contains("'\(field)'") == true, "\(String(describing: error))")
    }

    @Test func aFieldNameWithControlCharactersIsShownEscapedAndCut() {
        let name = "x\u{1B}[31m" + String(repeating: "y", count: 500)
        let json = #"{"vouchers": [{"date": "2026-11-02", ""# + name + #"": 1}]}"#
        let error = #expect(throws: VoucherFileError.self) { try VoucherDraft.decodeFile(Data(json.utf8)) }
        #expect(error?.description.contains("\u{1B}") == false && (error?.description.count ?? 0) < 300, "\(String(describing: error))")
    }

    @Test func deepNestingIsRefusedNotRecursedWithoutBound() {
        let json = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: VoucherFileError.self) { try VoucherDraft.decodeFile(Data(json.utf8)) }
    }
}
