import Foundation
import LedgerCore
import ReplicaStore
import ReportWriters

/// One row of a registry file (`hub import-registry`, 5/6 item 2), with the line it came from.
public struct RegistryImportRow: Sendable, Equatable {
    public enum Record: Sendable, Equatable {
        case unit(OrgUnit)
        case account(AccountRecord)
        case staff(StaffMember)
    }

    public var line: Int
    public var record: Record
}

/// A registry file refused, with every problem found and its line; nothing was imported.
public struct RegistryImportError: Error, CustomStringConvertible, Sendable {
    public let problems: [(line: Int, message: String)]

    public var description: String {
        let shown = problems.prefix(50).map { "line \($0.line): \($0.message)" }
        return "the registry file was refused, nothing was imported (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n  "
            + shown.joined(separator: "\n  ") + (problems.count > 50 ? "\n  … and \(problems.count - 50) more" : "")
    }
}

/// What an import added.
public struct RegistryImportSummary: Codable, Sendable, Equatable {
    public var unitsAdded = 0
    public var accountsAdded = 0
    public var staffAdded = 0
    /// Rows already in the registry exactly as the file gives them (a file imported twice adds nothing).
    public var unchanged = 0
    /// The hub's counter after the import: the registry version every node reaches once it has applied it.
    public var registryVersion: Int64 = 0

    public init() {}
}

/// The registry file: CSV (UTF-8, a BOM allowed, as Excel writes it) whose first line is ``header``, then one row
/// per unit, account or person, in any order (a unit's parent may come later in the file). An xlsx workbook with the
/// same columns in its first worksheet is read the same way (`XLSXReader`; cells are taken as the text the file
/// holds, so codes belong in text-formatted columns):
///
/// ```csv
/// record,id,org,name,type,code,currency,posts
/// unit,340122001,340122,肥东县教育局,budget_unit,,,
/// account,6217000012345678901,340122001,教育局零余额账户,bank,6217000012345678901,CNY,
/// account,340122001:6602,340122001,管理费用,subject,6602,,
/// staff,340122001-chenjing,340122001,陈静,,,,cashier;finance_manager
/// ```
///
/// - `unit`: `id` its code, `org` its parent, `type` its level (province, city, county, subsidiary, budget_unit).
/// - `account`: `id`, `org` its owner, `type` bank, internal or subject, `code` the bank account number (6–34
///   digits, or an IBAN) or the subject code, `currency` (CNY when empty).
/// - `staff`: `id`, `org` their unit, `posts` separated by `;` (cashier, finance_manager, unit_head, …).
public enum RegistryImportFile {
    public static let header = ["record", "id", "org", "name", "type", "code", "currency", "posts"]

    /// The rows of `data` — a CSV file, or an xlsx workbook whose first worksheet holds the same columns — or every
    /// problem with its line (the worksheet's row number for a workbook).
    public static func parse(_ data: Data) throws -> [RegistryImportRow] {
        let records: [[String]]
        if isWorkbook(data) {
            do {
                // Trailing empty cells are not in the sheet: a row is padded to the header's width.
                records = try XLSXReader.firstSheet(of: data).rows.map { row in
                    row.count < header.count ? row + Array(repeating: "", count: header.count - row.count) : row
                }
            } catch {
                throw RegistryImportError(problems: [(0, "not a workbook the import can read: \(error)")])
            }
        } else {
            do {
                records = try CSVReader.records(from: data)
            } catch {
                throw RegistryImportError(problems: [(0, "not a CSV file the import can read: \(error)")])
            }
        }
        return try parse(records: records)
    }

    /// An xlsx workbook is a ZIP archive: it starts with a local file header.
    static func isWorkbook(_ data: Data) -> Bool {
        data.prefix(4).elementsEqual([0x50, 0x4B, 0x03, 0x04])
    }

    static func parse(records: [[String]]) throws -> [RegistryImportRow] {
        guard let first = records.first, first.map({ $0.trimmingCharacters(in: .whitespaces) }) == header else {
            throw RegistryImportError(problems: [(1, "the first line must be exactly: \(header.joined(separator: ","))")])
        }
        var rows: [RegistryImportRow] = [], problems: [(Int, String)] = []
        for (index, fields) in records.enumerated().dropFirst() {
            let line = index + 1
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            do {
                rows.append(RegistryImportRow(line: line, record: try record(fields)))
            } catch let problem as RowProblem {
                problems.append((line, problem.message))
            }
        }
        guard problems.isEmpty else { throw RegistryImportError(problems: problems) }
        return rows
    }

    struct RowProblem: Error { let message: String }

    static func record(_ raw: [String]) throws -> RegistryImportRow.Record {
        guard raw.count == header.count else { throw RowProblem(message: "\(raw.count) fields where the header has \(header.count)") }
        let fields = raw.map { $0.trimmingCharacters(in: .whitespaces) }
        let (kind, id, org, name, type, code, currency, posts) = (fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6], fields[7])
        func text(_ value: String, _ column: String, max: Int = 200) throws -> String {
            guard !value.isEmpty else { throw RowProblem(message: "\(column) is empty") }
            guard value.count <= max, !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw RowProblem(message: "\(column) '\(value.prefix(40))' is longer than \(max) characters or holds control characters")
            }
            return value
        }
        func orgCode(_ value: String, _ column: String) throws -> OrgCode {
            guard let code = OrgCode(value) else { throw RowProblem(message: "\(column) '\(value.prefix(40))' is not an org code") }
            return code
        }
        switch kind {
        case "unit":
            guard let level = OrgUnit.Level(rawValue: type) else {
                throw RowProblem(message: "type '\(type)' is not a level (\(OrgUnit.Level.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return .unit(OrgUnit(code: try orgCode(id, "id"), parent: try orgCode(org, "org (the parent)"), name: try text(name, "name"), level: level))
        case "account":
            guard let accountKind = AccountKind(rawValue: type) else { throw RowProblem(message: "type '\(type)' is not bank, internal or subject") }
            let number = try text(code, "code", max: 64)
            if accountKind == .bank {
                do {
                    let parsed = try BankAccountNumber(number)
                    guard parsed.value == number else { throw RowProblem(message: "bank account number '\(number)' is written '\(parsed.value)' in its normal form") }
                } catch let error as BankAccountNumberError {
                    let hint = number.contains(where: { $0 == "E" || $0 == "e" || $0 == "." }) && number.first?.isNumber == true
                        ? " (a spreadsheet stored it as a number and kept only 15 digits: format the code column as text)" : ""
                    throw RowProblem(message: error.description + hint)
                }
            }
            guard let currencyCode = currency.isEmpty ? .cny : CurrencyCode(currency) else {
                throw RowProblem(message: "currency '\(currency)' is not an ISO 4217 code")
            }
            return .account(AccountRecord(id: try text(id, "id", max: 64), org: try orgCode(org, "org"), kind: accountKind, code: number,
                                          name: try text(name, "name"), currency: currencyCode, status: .active))
        case "staff":
            let names = posts.split(whereSeparator: { $0 == ";" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) }
            guard !names.isEmpty else { throw RowProblem(message: "posts is empty: a person holds at least one post") }
            var roles: Set<StaffRole> = []
            for post in names {
                guard let role = StaffRole(rawValue: post) else {
                    throw RowProblem(message: "post '\(post)' is not one of \(StaffRole.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                roles.insert(role)
            }
            return .staff(StaffMember(id: try text(id, "id", max: 64), org: try orgCode(org, "org"), name: try text(name, "name"), roles: roles))
        default:
            throw RowProblem(message: "record '\(kind.prefix(20))' is not unit, account or staff")
        }
    }
}

extension Hub {
    /// Imports a whole registry file in one transaction (5/6 item 2): every row is checked first — parents exist
    /// (in the registry or the file, without cycles), a budget unit sits under a unit with a node, owners exist, no
    /// id twice — and any problem refuses the whole file with its line. Rows already in the registry as given are
    /// left alone; a row that would change one is refused (changes go through `hub org`, `hub account`, `hub
    /// staff`, which carry their own controls). The new rows go down as one registry version, each to the nodes
    /// whose scope holds it.
    public func importRegistry(_ rows: [RegistryImportRow]) throws -> RegistryImportSummary {
        try store.write(policy: policy) { transaction in
            var problems: [(Int, String)] = []
            var summary = RegistryImportSummary()
            var seen: [String: Int] = [:]
            for row in rows {
                let key: String = switch row.record {
                case .unit(let unit): "unit \(unit.code)"
                case .account(let account): "account \(account.id)"
                case .staff(let member): "staff \(member.id)"
                }
                if let earlier = seen[key] { problems.append((row.line, "\(key) is also on line \(earlier)")) } else { seen[key] = row.line }
            }
            // Units, parents first.
            var units: [OrgCode: (line: Int, unit: OrgUnit)] = [:]
            for row in rows { if case .unit(let unit) = row.record { units[unit.code] = (row.line, unit) } }
            var ordered: [(line: Int, unit: OrgUnit)] = [], placed: Set<OrgCode> = []
            func place(_ code: OrgCode, path: Set<OrgCode>) throws {
                guard !placed.contains(code), let entry = units[code] else { return }
                guard !path.contains(code) else {
                    problems.append((entry.line, "unit \(code) is its own ancestor (a cycle of parents)"))
                    placed.insert(code)
                    return
                }
                if let parent = entry.unit.parent { try place(parent, path: path.union([code])) }
                placed.insert(code)
                ordered.append(entry)
            }
            for code in units.keys.sorted() { try place(code, path: []) }
            var known: Set<OrgCode> = []
            func exists(_ code: OrgCode) throws -> Bool {
                if known.contains(code) { return true }
                if try transaction.orgUnit(code) != nil { known.insert(code); return true }
                return false
            }
            for (line, unit) in ordered {
                guard let parent = unit.parent, try units[parent] != nil || exists(parent) else {
                    problems.append((line, "the parent \(unit.parent?.rawValue ?? "(none)") of \(unit.code) is neither in the registry nor in the file"))
                    continue
                }
                guard unit.code != org else { problems.append((line, "\(unit.code) is the hub itself")); continue }
                if unit.level == .budgetUnit, !(try transaction.nodeKeys(of: parent).contains { $0.status == .active }) {
                    problems.append((line, "budget unit \(unit.code) must sit directly under a unit with a node (its county); \(parent) has none yet: enrol it first"))
                    continue
                }
                if let existing = try transaction.orgUnit(unit.code) {
                    if existing == unit { summary.unchanged += 1 } else {
                        problems.append((line, "unit \(unit.code) is already in the registry as \(existing.name) (\(existing.level.rawValue)) under "
                                         + "\(existing.parent?.rawValue ?? "-"); change it with hub org, not an import"))
                    }
                    continue
                }
                guard problems.isEmpty else { continue }
                try transaction.appendLocal(table: .orgUnit, key: unit.code.rawValue, operation: .insert, fields: unit.fields)
                known.insert(unit.code)
                summary.unitsAdded += 1
            }
            for row in rows {
                switch row.record {
                case .unit: continue
                case .account(let account):
                    guard try units[account.org] != nil || exists(account.org) else {
                        problems.append((row.line, "the owner \(account.org) of account \(account.id) is neither in the registry nor in the file"))
                        continue
                    }
                    if let existing = try transaction.account(account.id) {
                        if existing == account { summary.unchanged += 1 } else {
                            problems.append((row.line, "account \(account.id) is already in the registry (\(existing.org), \(existing.code) \(existing.name), "
                                             + "\(existing.status.rawValue)); change it with hub account, not an import"))
                        }
                        continue
                    }
                    guard problems.isEmpty else { continue }
                    try transaction.appendLocal(table: .account, key: account.id, operation: .insert, fields: account.fields)
                    summary.accountsAdded += 1
                case .staff(let member):
                    guard try units[member.org] != nil || exists(member.org) else {
                        problems.append((row.line, "the unit \(member.org) of \(member.id) is neither in the registry nor in the file"))
                        continue
                    }
                    if let existing = try transaction.staffMember(member.id) {
                        if existing == member { summary.unchanged += 1 } else {
                            problems.append((row.line, "\(member.id) is already in the registry (\(existing.name) of \(existing.org)); change them with hub staff"))
                        }
                        continue
                    }
                    guard problems.isEmpty else { continue }
                    try transaction.appendLocal(table: .staff, key: member.id, operation: .insert, fields: Self.staffFields(member))
                    summary.staffAdded += 1
                }
            }
            // Any problem rolls back what was written: the file is imported whole or not at all.
            guard problems.isEmpty else { throw RegistryImportError(problems: problems) }
            summary.registryVersion = transaction.vector[org]
            return summary
        }
    }
}
