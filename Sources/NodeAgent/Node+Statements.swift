import Foundation
import LedgerCore
import ReplicaStore

/// A bank statement at the office that imported it, matched against the office's own bank journal (6/6 item 4).
public struct NodeStatementListing: Sendable {
    public var statement: StoredStatement
    /// The journal line each matched entry found, by the entry's index.
    public var matches: [Int: String]
    /// Entries the bank booked that the bank journal does not have yet (银行已收/已付、企业未收/未付).
    public var unmatched: [StatementDocument.Entry] {
        statement.document.entries.enumerated().filter { matches[$0.offset] == nil }.map(\.element)
    }
}

extension Node {
    /// Days between a statement entry and a bank journal line within which they may match (as at the hub).
    public static let statementMatchWindowDays = 3

    /// Imports bank statements of this office's bank accounts (or of budget units whose books it keeps) as its
    /// `statement` documents (PROTOCOL.md §6.22b), all in one transaction or none: they travel to the hub with the
    /// office's other documents, where the hub's bank reconciliation sees them. Each is matched here against the
    /// office's bank journal.
    ///
    /// Each statement must keep every rule of ``StatementDocument/validate()``, be for a bank account of this office in
    /// its currency, and not have been imported before nor be twice in `statements` (its identity: account, number,
    /// page, period). A document's `org` is the account's unit, whatever the statement says.
    /// - Returns: each stored statement with its matches, in the order given.
    /// - Throws: `NodeError` with a sentence: `alreadyDone` for a statement imported before, `notFound` for an account
    ///   that is not this office's bank account, `invalidValue` for a statement that breaks a rule or is given twice.
    @discardableResult
    public func importStatements(_ statements: [StatementDocument], signatures: DocumentSignatures) throws -> [NodeStatementListing] {
        guard !statements.isEmpty else { throw NodeError(.invalidValue, "the file holds no statement") }
        try signatures.validate(requireReviewer: false)
        let keys = try write { transaction, _ in
            var keys: [String] = []
            for statement in statements {
                var document = statement
                guard let account = try transaction.account(document.account, asOf: document.closingDate), account.kind == .bank else {
                    throw NodeError(.notFound, "\(document.account) is not a registered bank account: ask the fund centre to register "
                                    + "it (hub account add --kind bank), or give the right account with --account")
                }
                guard try account.org == org || transaction.keepsBooks(of: account.org, origin: org) else {
                    throw NodeError(.notFound, "\(document.account) is an account of \(account.org), not of \(org) or a unit whose books it keeps")
                }
                guard account.currency == document.currency else {
                    throw NodeError(.invalidValue, "the statement is in \(document.currency), the account \(account.id) in \(account.currency)")
                }
                document.org = account.org
                do {
                    try document.validate()
                } catch {
                    throw NodeError(.invalidValue, String(describing: error))
                }
                guard !keys.contains(document.key) else {
                    throw NodeError(.invalidValue, "\(Self.describe(document)) is in the file twice: remove the copy and import it again")
                }
                if let before = try transaction.officeStatements(account: document.account).first(where: { $0.document.key == document.key }) {
                    let same = before.document.openingMinorUnits == document.openingMinorUnits
                        && before.document.closingMinorUnits == document.closingMinorUnits
                    throw NodeError(.alreadyDone, "\(Self.describe(document)) was imported before (from \(before.document.file))"
                                    + (same ? "" : ", with other balances: the bank sent two different statements under one number "
                                       + "and period; ask it which is right"))
                }
                var fields = document.fields
                for (name, value) in signatures.fields { fields[name] = value }
                _ = try transaction.appendLocal(table: .statement, key: document.key, operation: .insert,
                                                businessDate: document.closingDate.description, fields: fields)
                keys.append(document.key)
            }
            return keys
        }
        let listings = try statementListing(account: nil)
        return try keys.map { key in
            guard let listing = listings.first(where: { $0.statement.document.key == key }) else {
                throw NodeError(.notFound, "statement \(key) was written and cannot be read back")
            }
            return listing
        }
    }

    /// The statements imported here (of `account`, or of every account), each matched against the bank journal as it
    /// is now: a journal line entered after the statement matches it from then on. The statements of an account are
    /// matched in date order, and a journal line matches one entry at most.
    public func statementListing(account: String?) throws -> [NodeStatementListing] {
        try store.read { reader in
            var listings: [NodeStatementListing] = []
            var journals: [String: [StatementMatcher.JournalLine]] = [:]
            var used: [String: Set<String>] = [:]
            for stored in try reader.officeStatements(account: account) {
                let id = stored.document.account
                if journals[id] == nil { journals[id] = try reader.bankJournalLines(account: id) }
                let matches = StatementMatcher.match(stored.document.entries, journal: journals[id] ?? [],
                                                     windowDays: Self.statementMatchWindowDays, alreadyMatched: used[id] ?? [])
                used[id, default: []].formUnion(matches.values)
                listings.append(NodeStatementListing(statement: stored, matches: matches))
            }
            return listings
        }
    }

    /// "statement 42 (page 2) of ACCOUNT for 2026-11-02…2026-11-03" for people.
    static func describe(_ statement: StatementDocument) -> String {
        let number = statement.number.map { "statement \($0)" } ?? "statement \(statement.reference)"
        let page = statement.page.flatMap { $0 > 1 ? " (page \($0))" : nil } ?? ""
        let period = statement.openingDate == statement.closingDate ? "\(statement.closingDate)"
            : "\(statement.openingDate)…\(statement.closingDate)"
        return "\(number)\(page) of \(statement.account) for \(period)"
    }
}
