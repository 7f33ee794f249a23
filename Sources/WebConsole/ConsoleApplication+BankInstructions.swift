import Foundation
import HTTPTypes
import Hummingbird
import LedgerCore
import ReplicaStore

extension ConsoleApplication {
    /// The states of an instruction in the order a cashier reads them: what needs a look first.
    static let instructionStates: [BankInstructionState] = [.rejected, .sending, .sent, .accepted, .queued, .settled]

    /// Instructions to the banks (银行指令, 7/7): every payment, batch payment line and allocation order the fund centre
    /// sent or will send, on one screen for every bank (D1: "在统一界面…查询收付款指令"), with where each stands. An
    /// instruction the bank has not confirmed shows how long it has been waiting; a rejection shows the bank's reason.
    func bankInstructions(_ request: Request, _ session: ConsoleSession) throws -> Response {
        if let refused = try requireHubStaff(request, session) { return refused }
        guard case .hub(let hub) = office else { return try refusal(request, session: session, status: .forbidden, key: "role.refused") }
        let chosen = request.uri.queryParameters.get("state").flatMap { BankInstructionState(rawValue: String($0)) }
        let all = try hub.storage.bankInstructions(state: nil)
        let now = office.store.nowMilliseconds
        var totals: [BankInstructionState: (count: Int, fen: Int64)] = [:]
        for record in all {
            let current = totals[record.state] ?? (0, 0)
            let (sum, overflow) = current.fen.addingReportingOverflow(record.amountMinorUnits)
            totals[record.state] = (current.count + 1, overflow ? .max : sum)
        }
        let units = try unitLabels()
        let shown = all.filter { chosen == nil || $0.state == chosen }.sorted {
            let left = Self.instructionStates.firstIndex(of: $0.state) ?? 0, right = Self.instructionStates.firstIndex(of: $1.state) ?? 0
            return left != right ? left < right : $0.createdAtMilliseconds > $1.createdAtMilliseconds
        }
        let rows = shown.prefix(Self.instructionRowsMax).map { record -> ConsoleTable.Row in
            // Waiting for the bank: hours since it was handed over (or since it was made, if it is not out yet).
            let waiting = [.sending, .sent, .accepted].contains(record.state)
                ? max(0, now - (record.sentAtMilliseconds ?? record.createdAtMilliseconds)) / 3_600_000 : nil
            let source = record.source.split(separator: ":", maxSplits: 1).map(String.init)
            return ConsoleTable.Row(id: "instruction-\(record.endToEndID)", highlight: record.state == .rejected || (waiting ?? 0) >= 24, cells: [
                .init(text: record.endToEndID),
                .init(text: source.count == 2 ? t("instruction.source.\(source[0])", request, ["id": source[1]]) : record.source),
                .init(text: units[record.org] ?? record.org),
                .init(text: "\(record.bank) · \(record.debtorAccount)"),
                .init(text: "\(record.creditorName) · \(record.creditorAccount)"),
                .amount(YuanFormat.yuan(record.amountMinorUnits)),
                .init(text: record.requestedDate),
                .init(text: t("instruction.\(record.state.rawValue)", request)),
                .amount(waiting.map(String.init) ?? ""),
                .init(text: record.bookedOn ?? ""),
                .init(text: record.reason ?? ""),
            ])
        }
        var page = ConsoleScreen(title: t("instructions.title", request))
        page.forms = [ConsoleForm(id: "instructions-form", action: "\(Self.base)/bank", post: false, fields: [
            ConsoleField(name: "state", label: t("instructions.state", request),
                         kind: .select([("", t("instructions.all", request))] + Self.instructionStates.map { ($0.rawValue, t("instruction.\($0.rawValue)", request)) }),
                         value: chosen?.rawValue ?? "", required: false),
        ], submit: t("balances.show", request))]
        page.charts = [ConsoleChart.bars(id: "instructions-chart", caption: t("instructions.byState", request), Self.instructionStates.map { state in
            let total = totals[state] ?? (0, 0)
            return (t("instruction.\(state.rawValue)", request), total.fen, "\(YuanFormat.yuan(total.fen)) (\(total.count))")
        })]
        let c = { (key: String) in ConsoleTable.Column(label: self.t(key, request)) }
        page.tables = [ConsoleTable(id: "instructions", caption: shown.count > Self.instructionRowsMax
                                        ? t("instructions.first", request, ["count": String(Self.instructionRowsMax), "all": String(shown.count)]) : nil,
                                    columns: [
            c("instructions.id"), c("instructions.source"), c("instructions.unit"), c("instructions.from"), c("instructions.to"),
            .init(label: t("payments.amount", request), amount: true), c("instructions.requested"), c("instructions.state"),
            .init(label: t("instructions.waiting", request), amount: true), c("instructions.booked"), c("instructions.reason"),
        ], rows: Array(rows), empty: t("instructions.none", request))]
        return try screen(page, request: request, session: session)
    }

    /// Rows on one page: the states sort what needs a look first; the rest is in `hub bank list`.
    static let instructionRowsMax = 500
}
