import Foundation
import GRDB
import LedgerCore

/// A slip with the amounts each side booked for it (from vouchers whose source is the slip).
public struct SlipSides: Sendable {
    public var id: String
    public var kind: String
    public var issuer: OrgCode
    public var receiver: OrgCode
    public var date: BusinessDate
    public var amount: AmountMinorUnits
    public var status: String
    /// Debit totals of the issuer's and the receiver's vouchers that book this slip (nil when none).
    public var issuerBooked: AmountMinorUnits?
    public var receiverBooked: AmountMinorUnits?
    /// The date of the bank receipt that cleared the funds in transit, if any (`receipt:<slip>` voucher).
    public var clearedOn: BusinessDate?
}

/// The rows the hub's reconciliation reads (DESIGN.md §7: HubCore asks for rows, never for SQL).
extension ReplicaStore {
    /// Rebuilds the daily account aggregates: every cell (full run) or only the (org, date) cells changed since
    /// the last run (incremental). Returns the cells rebuilt; the dirty set is emptied in the same transaction.
    public func rebuildAccountDays(full: Bool) throws -> [(org: String, date: String)] {
        try writeTransaction { db in
            let cells: [(org: String, date: String)]
            if full {
                try db.execute(sql: "DELETE FROM recon_account_day")
                // CROSS JOIN fixes the loop order: vouchers in the order they were written, each one's lines by their
                // primary key (stored next to each other). Left to itself SQLite walks the lines by account to save
                // the GROUP BY's sort and looks every voucher up at random: three B-tree searches per line, which on
                // a month of a province (23 million lines, 9 GB) took most of the full reconcile's 316 s; on a 1 GB
                // copy the fixed order is 3.5× faster (16.6 s against 58.6 s). The groups are few, so the sort is cheap.
                try db.execute(sql: """
                    INSERT INTO recon_account_day (account, date, org, debit, credit)
                    SELECT l.account, v.date, v.org, SUM(CASE WHEN l.side = 'debit' THEN l.amount ELSE 0 END),
                           SUM(CASE WHEN l.side = 'credit' THEN l.amount ELSE 0 END)
                    FROM voucher v CROSS JOIN voucher_line l ON l.voucher_id = v.id WHERE v.status = 'posted'
                    GROUP BY l.account, v.date, v.org
                    """)
                cells = try Row.fetchAll(db, sql: "SELECT DISTINCT org, date FROM recon_account_day ORDER BY org, date").map { ($0[0], $0[1]) }
            } else {
                cells = try Row.fetchAll(db, sql: "SELECT org, date FROM recon_dirty ORDER BY org, date").map { ($0[0], $0[1]) }
                for cell in cells {
                    try db.cachedStatement(sql: "DELETE FROM recon_account_day WHERE org = ? AND date = ?").execute(arguments: [cell.org, cell.date])
                    try db.cachedStatement(sql: """
                        INSERT INTO recon_account_day (account, date, org, debit, credit)
                        SELECT l.account, v.date, v.org, SUM(CASE WHEN l.side = 'debit' THEN l.amount ELSE 0 END),
                               SUM(CASE WHEN l.side = 'credit' THEN l.amount ELSE 0 END)
                        FROM voucher v JOIN voucher_line l ON l.voucher_id = v.id
                        WHERE v.org = ? AND v.date = ? AND v.status = 'posted' GROUP BY l.account, v.date, v.org
                        """).execute(arguments: [cell.org, cell.date])
                }
            }
            try db.execute(sql: "DELETE FROM recon_dirty")
            return cells
        }
    }

    /// Unit-days from `from` through `through` whose postings do not balance: `(org, date, debits, credits)`.
    public func unbalancedDays(from: String, through: String) throws -> [(org: String, date: String, debit: Int64, credit: Int64)] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT org, date, SUM(debit), SUM(credit) FROM recon_account_day WHERE date >= ? AND date <= ?
                GROUP BY org, date HAVING SUM(debit) != SUM(credit) ORDER BY org, date
                """, arguments: [from, through]).map { ($0[0], $0[1], $0[2], $0[3]) }
        }
    }

    /// Debit and credit totals of `org`'s postings on `date` (trial balance of one day).
    public func dayTotals(org: String, date: String) throws -> (debit: Int64, credit: Int64) {
        try writer.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT COALESCE(SUM(debit), 0), COALESCE(SUM(credit), 0) FROM recon_account_day WHERE org = ? AND date = ?",
                                       arguments: [org, date])
            return (row?[0] ?? 0, row?[1] ?? 0)
        }
    }

    /// Balances (debits − credits) through `date` of the accounts whose id matches `pattern` (SQL LIKE).
    public func reconBalances(accountLike pattern: String, through date: String) throws -> [String: Int64] {
        try writer.read { db in
            var result: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT account, SUM(debit - credit) FROM recon_account_day WHERE account LIKE ? AND date <= ? GROUP BY account
                """, arguments: [pattern, date]) {
                result[row[0]] = row[1]
            }
            return result
        }
    }

    /// For every account of `kind`, its closing balance on each date it moved through `through`, in date order
    /// (one pass over the aggregates instead of a query per account and day).
    public func balanceHistories(kind: AccountKind, through date: String) throws -> [String: [(date: String, balance: Int64)]] {
        try writer.read { db in
            var result: [String: [(date: String, balance: Int64)]] = [:]
            var running: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT d.account, d.date, d.debit - d.credit FROM recon_account_day d JOIN account a ON a.id = d.account
                WHERE a.kind = ? AND d.date <= ? ORDER BY d.account, d.date
                """, arguments: [kind.rawValue, date]) {
                let account: String = row[0]
                let balance = (running[account] ?? 0) + (row[2] as Int64)
                running[account] = balance
                result[account, default: []].append((row[1], balance))
            }
            return result
        }
    }

    /// Every account's balance through `date` from the aggregates, in one pass.
    public func allBalances(through date: String) throws -> [String: Int64] {
        try writer.read { db in
            var result: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT account, SUM(debit - credit) FROM recon_account_day WHERE date <= ? GROUP BY account",
                                        arguments: [date]) {
                result[row[0]] = row[1]
            }
            return result
        }
    }

    /// Balance of one account through `date` from the aggregates.
    public func reconBalance(_ account: String, through date: String) throws -> Int64 {
        try writer.read { db in
            try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(debit - credit), 0) FROM recon_account_day WHERE account = ? AND date <= ?",
                               arguments: [account, date]) ?? 0
        }
    }

    /// Every account with its org, kind and code.
    public func allAccounts() throws -> [AccountRecord] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, org, kind, code, name, currency, status FROM account ORDER BY org, id")
                .compactMap(AccountRecord.init(row:))
        }
    }

    /// The balance each office reported for `account` on `date` (nil when it did not report).
    public func reportedBalances(from: String, through: String) throws -> [String: Int64] {
        try writer.read { db in
            var result: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT account, date, balance FROM balance_report WHERE date >= ? AND date <= ?",
                                        arguments: [from, through]) {
                result["\(row[0] as String)|\(row[1] as String)"] = row[2]
            }
            return result
        }
    }

    /// The bank's own figure of each account and day in `from…through`, keyed `account|date` (7/7 item 6): the closing
    /// balance of a bank statement (imported at the hub, through a bank link, or by the office), else the latest booked
    /// balance of an intraday report (camt.052).
    public func bankStatedBalances(from: String, through: String) throws -> [String: Int64] {
        try writer.read { db in
            var result: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT account, date, balance FROM bank_balance WHERE date >= ? AND date <= ?",
                                        arguments: [from, through]) {
                result["\(row[0] as String)|\(row[1] as String)"] = row[2]
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT account, closing_date, closing FROM bank_statement WHERE closing_date >= ? AND closing_date <= ? ORDER BY rowid
                """, arguments: [from, through]) {
                result["\(row[0] as String)|\(row[1] as String)"] = row[2]
            }
            return result
        }
    }

    /// Records the bank's booked balance of `account` at the end of what it reported for `date` (a camt.052), the latest
    /// report of a day replacing an earlier one.
    public func recordBankBalance(account: String, date: String, balance: Int64, source: String) throws {
        try writeTransaction { db in
            try db.execute(sql: """
                INSERT INTO bank_balance (account, date, balance, source) VALUES (?, ?, ?, ?)
                ON CONFLICT(account, date) DO UPDATE SET balance = excluded.balance, source = excluded.source
                """, arguments: [account, date, balance, source])
        }
    }

    /// Slips dated up to `through` with what each side booked for them.
    public func slipSides(through: String) throws -> [SlipSides] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.id, s.kind, s.issuer, s.receiver, s.date, s.amount, s.status,
                    (SELECT SUM(l.amount) FROM voucher v JOIN voucher_line l ON l.voucher_id = v.id
                     WHERE v.source = 'slip:' || s.id AND v.org = s.issuer AND v.status = 'posted' AND l.side = 'debit') AS issuer_booked,
                    (SELECT SUM(l.amount) FROM voucher v JOIN voucher_line l ON l.voucher_id = v.id
                     WHERE v.source = 'slip:' || s.id AND v.org = s.receiver AND v.status = 'posted' AND l.side = 'debit') AS receiver_booked,
                    (SELECT MIN(v.date) FROM voucher v WHERE v.source = 'receipt:' || s.id AND v.status = 'posted') AS cleared_on
                FROM slip s WHERE s.date <= ? AND s.status != 'rejected'
                AND s.kind IN ('sweep_up', 'allocation', 'cost_allocation', 'expense_on_behalf') ORDER BY s.id
                """, arguments: [through]).compactMap { row in
                guard let issuer = OrgCode(row["issuer"]), let receiver = OrgCode(row["receiver"]), let date = BusinessDate(row["date"]) else { return nil }
                let issuerBooked: Int64? = row["issuer_booked"], receiverBooked: Int64? = row["receiver_booked"]
                return SlipSides(id: row["id"], kind: row["kind"], issuer: issuer, receiver: receiver, date: date,
                                 amount: AmountMinorUnits(row["amount"]), status: row["status"],
                                 issuerBooked: issuerBooked.map(AmountMinorUnits.init), receiverBooked: receiverBooked.map(AmountMinorUnits.init),
                                 clearedOn: (row["cleared_on"] as String?).flatMap(BusinessDate.init))
            }
        }
    }

    /// For each peer, the hub's business-clock date (`YYYY-MM-DD`, UTC) of the last batch received from it.
    public func lastBatchDates() throws -> [String: String] {
        try writer.read { db in
            var result: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT peer, MAX(received_at_ms) FROM received_batch GROUP BY peer") {
                let milliseconds: Int64 = row[1]
                result[row[0]] = BusinessDate.fromDaysSinceEpoch(Int(milliseconds / 86_400_000)).description
            }
            return result
        }
    }

    /// How many changes of `origin` the change log holds.
    public func changeCount(origin: OrgCode) throws -> Int64 {
        try writer.read { db in try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM change_log WHERE origin = ?", arguments: [origin.rawValue]) ?? 0 }
    }

    /// The first date each org posted or reported anything: days before it are not expected to be reported.
    public func firstActivityDates() throws -> [String: String] {
        try writer.read { db in
            var result: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT org, MIN(date) FROM (SELECT org, date FROM recon_account_day UNION ALL SELECT org, date FROM balance_report) GROUP BY org
                """) { result[row[0]] = row[1] }
            return result
        }
    }

    /// The first date each account was active from, for accounts opened on a stated date (`status_from`, 3/6 item 10):
    /// days before it are not expected to be reported. Accounts registered without a date are absent.
    public func accountOpeningDates() throws -> [String: String] {
        try writer.read { db in
            var result: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT account, MIN(effective_from) FROM account_status_history WHERE status = 'active' GROUP BY account
                """) where (row[1] as String) > "0000-01-01" { result[row[0]] = row[1] }
            return result
        }
    }

    /// Statement entries that match no bank journal line, dated up to `through`.
    public func unmatchedStatementEntries(through: String) throws -> [(statement: String, line: Int, account: String, date: String, amount: Int64, reference: String)] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT statement, line_no, account, booking_date, amount, reference FROM bank_statement_entry
                WHERE journal IS NULL AND booking_date <= ? ORDER BY account, booking_date, statement, line_no
                """, arguments: [through]).map { ($0[0], $0[1], $0[2], $0[3], $0[4], $0[5]) }
        }
    }

    /// Origins whose received changes are waiting with a gap in front of them: `(origin, applied, firstWaiting)`.
    public func pendingGaps() throws -> [(peer: String, applied: Int64, firstWaiting: Int64, waiting: Int)] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.peer, COALESCE(i.applied_position, 0) AS applied, MIN(p.position) AS first, COUNT(*) AS n
                FROM pending p LEFT JOIN stream_in i ON i.peer = p.peer GROUP BY p.peer, i.applied_position ORDER BY p.peer
                """).map { ($0["peer"], $0["applied"], $0["first"], $0["n"]) }
        }
    }

    /// Replaces the stored findings of the period `from…through` (and every finding of a check that is not tied
    /// to one day) with `findings`, keeping the status, notice and explanation of findings that are still present.
    public func storeFindings(_ findings: [StoredFinding], from: String, through: String) throws {
        try writeTransaction { db in
            var kept: [String: (status: String, notice: String?, explanation: String?, reviewedBy: String?)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, status, notice, explanation, reviewed_by FROM recon_finding") {
                kept[row["id"]] = (row["status"], row["notice"], row["explanation"], row["reviewed_by"])
            }
            let globals = Self.globalChecks.sorted()
            let placeholders = globals.map { _ in "?" }.joined(separator: ", ")
            var arguments: [any DatabaseValueConvertible] = [from, through]
            arguments += globals
            try db.execute(sql: "DELETE FROM recon_finding WHERE (date >= ? AND date <= ?) OR check_kind IN (\(placeholders))",
                           arguments: StatementArguments(arguments))
            let insert = try db.cachedStatement(sql: """
                INSERT INTO recon_finding (id, check_kind, org, level, subject, date, expected, actual, message, status, notice,
                    explanation, reviewed_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET check_kind = excluded.check_kind, org = excluded.org, level = excluded.level,
                    subject = excluded.subject, date = excluded.date, expected = excluded.expected, actual = excluded.actual,
                    message = excluded.message, status = excluded.status, notice = excluded.notice,
                    explanation = excluded.explanation, reviewed_by = excluded.reviewed_by
                """)
            for finding in findings {
                let previous = kept[finding.id]
                try insert.execute(arguments: [finding.id, finding.check, finding.org, finding.level, finding.subject, finding.date,
                                               finding.expected, finding.actual, finding.message, previous?.status ?? "open",
                                               previous?.notice, previous?.explanation, previous?.reviewedBy])
            }
        }
    }

    /// Checks whose findings are recomputed whole on every run (they are not tied to one day's cell).
    static let globalChecks: Set<String> = ["slip_pairing", "slip_amount_mismatch", "in_transit_aged", "completeness", "registry_stale", "elimination",
                                            "conservation", "internal_accounts", "statement"]

    /// Every stored finding.
    public func findings() throws -> [StoredFinding] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM recon_finding ORDER BY date, org, check_kind, subject").map { row in
                StoredFinding(id: row["id"], check: row["check_kind"], org: row["org"], level: row["level"], subject: row["subject"],
                              date: row["date"], expected: row["expected"], actual: row["actual"], message: row["message"],
                              status: row["status"], notice: row["notice"], explanation: row["explanation"])
            }
        }
    }
}

/// A reconciliation finding as stored at the hub.
public struct StoredFinding: Codable, Equatable, Sendable {
    public var id: String
    public var check: String
    public var org: String
    /// county, city or province: the consolidation level the difference affects.
    public var level: String
    public var subject: String
    public var date: String
    public var expected: Int64?
    public var actual: Int64?
    public var message: String
    public var status: String
    public var notice: String?
    public var explanation: String?

    public init(id: String, check: String, org: String, level: String, subject: String, date: String, expected: Int64?,
                actual: Int64?, message: String, status: String = "open", notice: String? = nil, explanation: String? = nil) {
        self.id = id
        self.check = check
        self.org = org
        self.level = level
        self.subject = subject
        self.date = date
        self.expected = expected
        self.actual = actual
        self.message = message
        self.status = status
        self.notice = notice
        self.explanation = explanation
    }
}

extension ReplicaTransaction {
    /// Records, in the hub's own findings (hub-only storage, not replicated), the difference notice sent for a finding.
    public func attachNotice(_ notice: String, toFinding finding: String) throws {
        try db.execute(sql: "UPDATE recon_finding SET notice = ? WHERE id = ?", arguments: [notice, finding])
    }

    /// Marks the hub's finding behind `notice` explained with the node's text (hub-only storage).
    /// Marks the explained finding `id` reviewed by `reviewer` (a general-ledger accountant): only then does a close
    /// count it as explained. Returns false when there is no such finding with an explanation.
    public func markFindingReviewed(_ id: String, by reviewer: String) throws -> Bool {
        try db.execute(sql: "UPDATE recon_finding SET status = 'reviewed', reviewed_by = ? WHERE id = ? AND status IN ('explained', 'reviewed')",
                       arguments: [reviewer, id])
        return db.changesCount > 0
    }

    public func markFindingExplained(notice: String, explanation: String) throws {
        try db.execute(sql: "UPDATE recon_finding SET status = 'explained', explanation = ? WHERE notice = ?",
                       arguments: [explanation, notice])
    }
}

/// What the hub's business gauges read (8): open findings by check, and the slips in transit.
public struct OperationsFigures: Sendable {
    public var openFindings: [String: Int]
    public var transitSlips: [(date: String, amount: Int64)]
}

extension ReplicaStore {
    /// The figures of the hub's business gauges, in one read: reconciliation findings not explained, by check; and every
    /// slip issued or in transit that no posted voucher clears by its bank receipt (as the console's transit screen).
    public func operationsFigures() throws -> OperationsFigures {
        try writer.read { db in
            var open: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT check_kind, COUNT(*) AS n FROM recon_finding WHERE status = 'open' GROUP BY check_kind") {
                open[row["check_kind"]] = row["n"]
            }
            let slips = try Row.fetchAll(db, sql: """
                SELECT s.date, s.amount FROM slip s WHERE s.status IN ('issued', 'in_transit')
                  AND NOT EXISTS (SELECT 1 FROM voucher v WHERE v.source = 'receipt:' || s.id AND v.status = 'posted')
                """).map { (date: $0["date"] as String, amount: $0["amount"] as Int64) }
            return OperationsFigures(openFindings: open, transitSlips: slips)
        }
    }
}

/// The last attempt to close a month (`hub close`): whether it passed, and how many reasons refused it.
public struct CloseAttempt: Sendable, Equatable {
    public var period: String
    public var atMilliseconds: Int64
    public var passed: Bool
    public var reasonCount: Int

    public init(period: String, atMilliseconds: Int64, passed: Bool, reasonCount: Int) {
        self.period = period
        self.atMilliseconds = atMilliseconds
        self.passed = passed
        self.reasonCount = reasonCount
    }
}

extension ReplicaStore {
    /// Records the outcome of an attempt to close `period`, replacing the previous one (hub storage).
    public func recordCloseAttempt(period: String, atMilliseconds: Int64, passed: Bool, reasonCount: Int) throws {
        try writeTransaction { db in
            try db.execute(sql: """
                INSERT INTO close_attempt (period, at_ms, passed, reason_count) VALUES (?, ?, ?, ?)
                ON CONFLICT (period) DO UPDATE SET at_ms = excluded.at_ms, passed = excluded.passed, reason_count = excluded.reason_count
                """, arguments: [period, atMilliseconds, passed ? 1 : 0, reasonCount])
        }
    }

    /// The last attempt to close each month, oldest month first.
    public func closeAttempts() throws -> [CloseAttempt] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM close_attempt ORDER BY period").map {
                CloseAttempt(period: $0["period"], atMilliseconds: $0["at_ms"], passed: ($0["passed"] as Int64) != 0, reasonCount: $0["reason_count"])
            }
        }
    }
}
