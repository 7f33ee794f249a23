import Foundation
import HubCore
import LedgerCore
import NodeAgent
import ReplicaStore
import SyncTesting
import Testing
import ZIPFoundation

/// 5/6 item 2: `hub import-registry` — a province's budget units, accounts and people from one file, all or nothing,
/// as one registry version that reaches only the nodes whose scope holds each row.
@Suite struct RegistryImportTests {
    static let file = """
        \u{FEFF}record,id,org,name,type,code,currency,posts
        account,6217000012345678901,340122001,教育局零余额账户,bank,6217000012345678901,CNY,
        staff,340122001-chenjing,340122001,陈静,,,,cashier;finance_manager
        unit,340122001,340122,"肥东县教育局, 预算单位",budget_unit,,,
        account,340122001:5001,340122001,业务活动费用,subject,5001,,
        unit,340122002,340122,肥东县卫健委,budget_unit,,,

        account,340122002:5001,340122002,业务活动费用,subject,5001,,
        """

    static func rows(_ text: String) throws -> [RegistryImportRow] { try RegistryImportFile.parse(Data(text.utf8)) }

    @Test func aFileGoesInWholeAsOneVersionToTheNodesItConcerns() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let hub = province.hub
        let summary = try hub.importRegistry(try Self.rows(Self.file))
        #expect(summary.unitsAdded == 2 && summary.accountsAdded == 3 && summary.staffAdded == 1 && summary.unchanged == 0)
        #expect(try summary.registryVersion == hub.store.read { $0.vector[hub.org] })
        #expect(try hub.store.read { try $0.orgUnit(OrgCode("340122001")!) }?.name == "肥东县教育局, 预算单位", "a quoted name with a comma")
        try province.base.deliverFromHub()
        let feidong = province.node("340122"), other = province.node("340121")
        #expect(try feidong.store.read { try $0.account("6217000012345678901") }?.org == OrgCode("340122001")!)
        #expect(try feidong.store.read { try $0.staffMember("340122001-chenjing") }?.roles == [.cashier, .financeManager])
        #expect(try other.store.read { try $0.account("6217000012345678901") } == nil, "a row reaches only the nodes whose scope holds it")
        #expect(try other.store.read { try $0.orgUnit(OrgCode("340122001")!) } == nil)

        let again = try hub.importRegistry(try Self.rows(Self.file))
        var unchanged = RegistryImportSummary()
        unchanged.unchanged = 6
        unchanged.registryVersion = summary.registryVersion
        #expect(again == unchanged, "a file imported twice adds nothing")
    }

    @Test func anyProblemRefusesTheWholeFileWithEveryLine() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let hub = province.hub
        let before = try hub.store.read { $0.vector[hub.org] }
        let bad = """
            record,id,org,name,type,code,currency,posts
            unit,340122005,340122,新单位,budget_unit,,,
            unit,340199001,340199,无上级,county,,,
            unit,340100009,340100,无节点的上级下的预算单位,budget_unit,,,
            account,340122005:5001,340122005,费用,subject,5001,,
            account,340122005:5001,340122005,又一次,subject,5001,,
            staff,340122005-x,340188,无单位,,,,cashier
            account,\(BusinessProvince.expense("340122")),340122,改了名字,bank,6217000000000000001,CNY,
            """
        let error = try #require(throws: RegistryImportError.self) { try hub.importRegistry(try Self.rows(bad)) }
        let lines = Set(error.problems.map(\.line))
        #expect(lines == [3, 4, 6, 7, 8], "every problem, by line: \(error.description)")
        #expect(error.description.contains("line 6: account 340122005:5001 is also on line 5"))
        #expect(try hub.store.read { $0.vector[hub.org] } == before, "nothing was written")
        #expect(try hub.store.read { try $0.orgUnit(OrgCode("340122005")!) } == nil, "not even the good rows")
    }

    @Test func rowsThatCannotBeReadAreRefusedBeforeTheRegistryIsTouched() throws {
        #expect(throws: RegistryImportError.self) { try Self.rows("code,name\n340122001,x\n") }
        let error = try #require(throws: RegistryImportError.self) {
            try Self.rows("""
                record,id,org,name,type,code,currency,posts
                unit,340122001,340122,x,ministry,,,
                account,a1,340122,x,bank,12-34,CNY,
                account,a2,340122,x,subject,5001,RMB1,
                staff,s1,340122,x,,,,cashier;janitor
                staff,s2,340122,x,,,,
                unit,34/22,340122,x,county,,,
                thing,1,2,3,4,5,6,7
                unit,1,2
                """)
        }
        #expect(error.problems.map(\.line) == [2, 3, 4, 5, 6, 7, 8, 9], "\(error.description)")
        #expect(error.description.contains("post 'janitor'") && error.description.contains("12-34"))
    }
}

/// 5/6: the hub carries its view of the org tree from one write to the next (`WriteStateCache`). A write that fails
/// after changing the tree must leave no trace in where later changes go.
@Suite struct CarriedRegistryViewTests {
    @Test func aRolledBackMoveDoesNotRedirectLaterChanges() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let hub = province.hub
        let feidong = OrgCode("340122")!, other = OrgCode("340121")!
        struct Abandoned: Error {}
        #expect(throws: Abandoned.self) {
            try hub.store.write(policy: hub.replicaPolicy) { transaction in
                // Moved under the other county, then abandoned: rolled back.
                try transaction.appendLocal(table: .orgUnit, key: feidong.rawValue, operation: .update,
                                            fields: OrgUnit(code: feidong, parent: other, name: "County 340122", level: .county).fields)
                throw Abandoned()
            }
        }
        try hub.putAccount(AccountRecord(id: "340122:7777", org: feidong, kind: .subject, code: "7777", name: "x", currency: .cny, status: .active))
        try province.base.deliverFromHub()
        #expect(try province.node("340122").store.read { try $0.account("340122:7777") } != nil)
        #expect(try province.node("340121").store.read { try $0.account("340122:7777") } == nil,
                "the other county would receive it if the abandoned move had been kept")
        #expect(try hub.store.read { try $0.orgUnit(feidong) }?.parent == TestProvince.city)
    }
}

/// The carried state is this process's: another process writing the same replica in between (an administrator's
/// command beside `hub serve`, `fundsync sync` beside `node serve`) must be seen, never written over.
@Suite struct CarriedStateAcrossProcessesTests {
    @Test func aWriteByAnotherConnectionIsSeenBeforeTheNextWrite() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let first = province.hub
        let second = try Hub.open(directory: first.directory, clock: ManualClock())
        // With the suites on PostgreSQL, the second process connects to the store of record too (as openHub does).
        try province.base.storeOfRecord?.attach(to: second.store)
        let before = try first.store.read { $0.vector[first.org] }
        let city = TestProvince.city
        for (index, hub) in [first, second, first, second, first].enumerated() {
            try hub.putStaff(StaffMember(id: "340100-clerk\(index)", org: city, name: "Clerk \(index)", roles: [.cashier]))
        }
        #expect(try first.store.read { $0.vector[first.org] } == before + 5, "five changes, five counters, none written twice")
        #expect(try second.verify().isEmpty && first.verify().isEmpty)
        // The tree too: a unit added through the other connection is known to the first one's next registry change.
        try second.addOrgUnit(OrgUnit(code: OrgCode("340199")!, parent: city, name: "Added elsewhere", level: .county))
        try first.putStaff(StaffMember(id: "340199-clerk", org: OrgCode("340199")!, name: "Clerk", roles: [.cashier]))
        #expect(try first.store.read { try $0.staffMember("340199-clerk") } != nil)
    }
}

/// 5/6 item 2, the same registry file as an xlsx workbook (the vendor's spreadsheet). Goal: a workbook with the
/// template's columns imports exactly as the CSV does, rows Excel wrote without their trailing empty cells included;
/// problems carry the worksheet's row number; an account number Excel stored as a number (15 digits kept) is refused
/// with how to fix it. Method: workbooks written here the way Excel writes them (inline and shared strings, numbers in
/// `<v>`), zipped with ZIPFoundation.
@Suite struct RegistryImportWorkbookTests {
    @Test func aWorkbookImportsLikeTheCSV() throws {
        let province = try BusinessProvince()
        defer { province.remove() }
        let rows = [
            ["record", "id", "org", "name", "type", "code", "currency", "posts"],
            ["account", "6217000012345678901", "340122001", "教育局零余额账户", "bank", "6217000012345678901", "CNY"],
            ["staff", "340122001-chenjing", "340122001", "陈静", "", "", "", "cashier;finance_manager"],
            ["unit", "340122001", "340122", "肥东县教育局", "budget_unit"],  // trailing empty cells not written
        ]
        let summary = try province.hub.importRegistry(try RegistryImportFile.parse(try Self.workbook(rows)))
        #expect(summary.unitsAdded == 1 && summary.accountsAdded == 1 && summary.staffAdded == 1)
        #expect(try province.hub.store.read { try $0.account("6217000012345678901") }?.org == OrgCode("340122001")!)
    }

    @Test func problemsNameTheRowAndANumberStoredAccountSaysHowToFixIt() throws {
        let rows = [
            ["record", "id", "org", "name", "type", "code", "currency", "posts"],
            ["unit", "340122001", "340122", "肥东县教育局", "budget_unit"],
            ["account", "x1", "340122001", "零余额账户", "bank", "=6.21700001234568E+18", "CNY"],
        ]
        let error = try #require(throws: RegistryImportError.self) { try RegistryImportFile.parse(try Self.workbook(rows)) }
        let text = String(describing: error)
        #expect(error.problems.map(\.line) == [3], "\(text)")
        #expect(text.contains("format the code column as text"), "\(text)")
    }

    @Test func aBrokenWorkbookIsRefusedWithTheReadersReason() throws {
        var bytes = [UInt8](try Self.workbook([["record"]]))
        bytes.removeLast(bytes.count / 2)  // the central directory is gone
        let error = try #require(throws: RegistryImportError.self) { try RegistryImportFile.parse(Data(bytes)) }
        #expect(String(describing: error).contains("not a workbook the import can read"), "\(error)")
    }

    /// A one-sheet workbook; a cell text starting with `=` is written as a number cell (`<v>`) without the `=`.
    static func workbook(_ rows: [[String]]) throws -> Data {
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        func escaped(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        }
        func column(_ index: Int) -> String { String(UnicodeScalar(UInt8(65 + index))) }
        let sheetRows = rows.enumerated().map { rowIndex, cells in
            "<row r=\"\(rowIndex + 1)\">" + cells.enumerated().compactMap { index, text in
                let reference = "\(column(index))\(rowIndex + 1)"
                if text.isEmpty { return nil }
                if text.hasPrefix("=") { return "<c r=\"\(reference)\"><v>\(text.dropFirst())</v></c>" }
                return "<c r=\"\(reference)\" t=\"inlineStr\"><is><t>\(escaped(text))</t></is></c>"
            }.joined() + "</row>"
        }.joined()
        let parts = [
            ("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"),
            ("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"\(relationships)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"),
            ("xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"\(main)\" xmlns:r=\"\(relationships)\">"
                + "<sheets><sheet name=\"预算单位\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
            ("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"\(relationships)/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"),
            ("xl/worksheets/sheet1.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"\(main)\"><sheetData>" + sheetRows
                + "</sheetData></worksheet>"),
        ]
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return try #require(archive.data)
    }
}
