import ReportWriters
import Testing

@Suite struct ReportTableTests {
    @Test func tableHoldsTypedCells() {
        let table = ReportTable(title: "t", columns: [.init(name: "a", kind: .money)], rows: [[.money(minorUnits: 5, scale: 2)]])
        #expect(table.rows[0][0] == .money(minorUnits: 5, scale: 2))
    }
}
