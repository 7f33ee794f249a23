import GRDB
import LedgerCore

/// The replica's schema as append-only, string-named migrations (GRDB `DatabaseMigrator`), one migrator per role.
///
/// Both roles share the replication machinery and every replicated table. The hub's own storage — reconciliation
/// aggregates and findings, bank statements, stream findings — exists only in the hub's migrator: a node's replica has
/// none of it (`v8-hub-storage-only-at-the-hub` drops what release 1 created at nodes). The two migrators register
/// the same names in the same order, so a data folder's history reads the same at either role; a migration whose work
/// belongs to the other role is empty there.
///
/// Never edit what a registered migration does for a role that has already run it: add a new one. Migrations use raw
/// SQL and column names only, never app types, so that an old database upgrades the same way forever.
enum ReplicaSchema {
    static func migrator(for role: ReplicaRole) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-sync-state") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                -- Every change this replica wrote or received, keyed by its global id; record = canonical bytes.
                CREATE TABLE change_log (
                    origin TEXT NOT NULL, counter INTEGER NOT NULL CHECK (counter >= 1),
                    tbl TEXT NOT NULL, key TEXT NOT NULL, op INTEGER NOT NULL,
                    business_date TEXT NOT NULL, created_at_ms INTEGER NOT NULL,
                    record BLOB NOT NULL,
                    received_from TEXT,              -- NULL for changes written here
                    rejected INTEGER NOT NULL DEFAULT 0,
                    reason TEXT,
                    PRIMARY KEY (origin, counter)) WITHOUT ROWID;
                CREATE TABLE version_vector (origin TEXT PRIMARY KEY NOT NULL, counter INTEGER NOT NULL);
                -- Incoming stream per peer: highest position processed contiguously; ack_sent = last position we told it.
                CREATE TABLE stream_in (
                    peer TEXT PRIMARY KEY NOT NULL, applied_position INTEGER NOT NULL DEFAULT 0,
                    ack_sent_position INTEGER NOT NULL DEFAULT 0, batches_received INTEGER NOT NULL DEFAULT 0,
                    highest_batch_sequence INTEGER NOT NULL DEFAULT 0);
                -- Outgoing stream per peer: positions below next_position are assigned; the peer acked up to acked_position.
                CREATE TABLE stream_out (
                    peer TEXT PRIMARY KEY NOT NULL, next_position INTEGER NOT NULL DEFAULT 1,
                    acked_position INTEGER NOT NULL DEFAULT 0, next_batch_sequence INTEGER NOT NULL DEFAULT 1);
                CREATE TABLE outbox (
                    peer TEXT NOT NULL, position INTEGER NOT NULL, origin TEXT NOT NULL, counter INTEGER NOT NULL,
                    PRIMARY KEY (peer, position)) WITHOUT ROWID;
                -- Received changes waiting for an earlier stream position or a missing dependency.
                CREATE TABLE pending (
                    peer TEXT NOT NULL, position INTEGER NOT NULL, record BLOB NOT NULL,
                    PRIMARY KEY (peer, position)) WITHOUT ROWID;
                CREATE TABLE received_batch (
                    peer TEXT NOT NULL, batch_sequence INTEGER NOT NULL, received_at_ms INTEGER NOT NULL,
                    change_count INTEGER NOT NULL, applied_count INTEGER NOT NULL, rejected_count INTEGER NOT NULL,
                    duplicate_count INTEGER NOT NULL, pending_count INTEGER NOT NULL, file_hash TEXT NOT NULL);
                """)
        }
        migrator.registerMigration("v1-registry") { db in
            try db.execute(sql: """
                CREATE TABLE org_unit (
                    code TEXT PRIMARY KEY NOT NULL, parent TEXT, name TEXT NOT NULL, level TEXT NOT NULL);
                CREATE TABLE account (
                    id TEXT PRIMARY KEY NOT NULL, org TEXT NOT NULL, kind TEXT NOT NULL, code TEXT NOT NULL,
                    name TEXT NOT NULL, currency TEXT NOT NULL, status TEXT NOT NULL);
                CREATE INDEX account_org ON account(org);
                CREATE TABLE node_key (
                    key_id TEXT PRIMARY KEY NOT NULL, org TEXT NOT NULL, algorithm TEXT NOT NULL,
                    public_key_pem TEXT NOT NULL, status TEXT NOT NULL);
                CREATE INDEX node_key_org ON node_key(org);
                """)
        }
        migrator.registerMigration("v1-ledger") { db in
            try db.execute(sql: """
                CREATE TABLE voucher (
                    id TEXT PRIMARY KEY NOT NULL, org TEXT NOT NULL, date TEXT NOT NULL, currency TEXT NOT NULL,
                    memo TEXT NOT NULL, preparer TEXT NOT NULL, reverses TEXT,
                    origin TEXT NOT NULL, counter INTEGER NOT NULL,
                    status TEXT NOT NULL DEFAULT 'posted', reject_reason TEXT);
                CREATE INDEX voucher_reverses ON voucher(reverses) WHERE reverses IS NOT NULL;
                CREATE TABLE voucher_line (
                    voucher_id TEXT NOT NULL, line_no INTEGER NOT NULL, account TEXT NOT NULL,
                    side TEXT NOT NULL CHECK (side IN ('debit', 'credit')), amount INTEGER NOT NULL CHECK (amount > 0),
                    PRIMARY KEY (voucher_id, line_no)) WITHOUT ROWID;
                CREATE TABLE rejection (
                    id TEXT PRIMARY KEY NOT NULL, origin TEXT NOT NULL, counter INTEGER NOT NULL,
                    tbl TEXT NOT NULL, key TEXT NOT NULL, reason TEXT NOT NULL);
                -- Posted entries are immutable: corrections are reversal vouchers.
                CREATE TRIGGER voucher_line_immutable BEFORE UPDATE ON voucher_line
                BEGIN SELECT RAISE(ABORT, 'posted voucher lines are immutable'); END;
                CREATE TRIGGER voucher_line_no_delete BEFORE DELETE ON voucher_line
                BEGIN SELECT RAISE(ABORT, 'posted voucher lines are immutable'); END;
                CREATE TRIGGER voucher_immutable BEFORE UPDATE OF id, org, date, currency, memo, preparer, reverses ON voucher
                BEGIN SELECT RAISE(ABORT, 'posted vouchers are immutable'); END;
                """)
        }
        migrator.registerMigration("v2-business", migrate: businessTables)
        migrator.registerMigration("v3-reconciliation") { db in
            try replicatedReconciliationTables(db)
            if role == .hub { try hubReconciliationTables(db) }
        }
        migrator.registerMigration("v4-audit") { db in
            try db.execute(sql: """
                CREATE TABLE audit (
                    id TEXT PRIMARY KEY NOT NULL, org TEXT NOT NULL, at_ms INTEGER NOT NULL, actor TEXT NOT NULL,
                    action TEXT NOT NULL, detail TEXT NOT NULL);
                CREATE INDEX audit_org_time ON audit(org, at_ms);
                """)
        }
        // Release 2: a rejection keeps its stable code beside the sentence (NULL for rejections of release 1).
        migrator.registerMigration("v5-rejection-codes") { db in
            try db.execute(sql: """
                ALTER TABLE change_log ADD COLUMN reject_code TEXT;
                ALTER TABLE rejection ADD COLUMN code TEXT;
                """)
        }
        // Release 2, issue 9: facts the hub booked against its own controls (hub-only, not replicated).
        migrator.registerMigration("v6-stream-findings") { db in
            guard role == .hub else { return }
            try db.execute(sql: """
                CREATE TABLE stream_finding (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, document TEXT NOT NULL, org TEXT NOT NULL,
                    business_date TEXT NOT NULL, detail TEXT NOT NULL, recorded_at_ms INTEGER NOT NULL);
                """)
        }
        // Release 2, issue 9 (1/6): two states release 1 wrote into replicated rows around the change log are derived
        // on reading now (`ReplicaStore.documents`); the rows go back to what their change log says.
        migrator.registerMigration("v7-derived-states") { db in
            try db.execute(sql: """
                UPDATE difference_notice SET state = 'open' WHERE state = 'explained';
                UPDATE payment SET state = 'released' WHERE state = 'released_unbooked';
                """)
        }
        // Release 2, 1/6: the hub's own storage leaves the nodes (release 1 created it in every replica, unused there).
        migrator.registerMigration("v8-hub-storage-only-at-the-hub") { db in
            guard role == .node else { return }
            try db.execute(sql: """
                DROP TABLE IF EXISTS recon_account_day;
                DROP TABLE IF EXISTS recon_dirty;
                DROP TABLE IF EXISTS recon_finding;
                DROP TABLE IF EXISTS bank_statement_entry;
                DROP TABLE IF EXISTS bank_statement;
                DROP TABLE IF EXISTS stream_finding;
                """)
        }
        // Release 2, 2/6 with 9: security alerts on a signer's link, and links whose verified batches fail to apply.
        migrator.registerMigration("v9-link-health") { db in
            guard role == .hub else { return }
            try db.execute(sql: """
                CREATE TABLE security_alert (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, link TEXT NOT NULL, key_id TEXT NOT NULL, code TEXT NOT NULL,
                    detail TEXT NOT NULL, file_hash TEXT NOT NULL, raised_at_ms INTEGER NOT NULL, cleared_at_ms INTEGER,
                    cleared_by TEXT, clearance_note TEXT, clearance_signature TEXT);
                CREATE TABLE link_failure (
                    peer TEXT PRIMARY KEY NOT NULL, attempts INTEGER NOT NULL, first_failed_ms INTEGER NOT NULL,
                    last_failed_ms INTEGER NOT NULL, last_error TEXT NOT NULL);
                """)
        }
        // Release 2: the order in which this replica logged its changes (NULL for changes logged by release 1).
        migrator.registerMigration("v10-applied-order") { db in
            try db.execute(sql: "ALTER TABLE change_log ADD COLUMN applied_seq INTEGER")
        }
        // Release 2, 2/6 finding 7: resync of a restored or rebuilt node (PROTOCOL.md §8.8). The hub keeps the stream
        // positions a node acknowledged, so it can send its stream again from a restored node's position; both roles
        // keep the hub's resync answers (a replicated, hub-owned table).
        migrator.registerMigration("v11-restore-resync") { db in
            try db.execute(sql: """
                CREATE TABLE resync (
                    id TEXT PRIMARY KEY NOT NULL, node TEXT NOT NULL, restored_counter INTEGER NOT NULL,
                    restored_position INTEGER NOT NULL, hub_counter INTEGER NOT NULL, hub_position INTEGER NOT NULL,
                    returned_changes INTEGER NOT NULL, resent_changes INTEGER NOT NULL, discarded_waiting INTEGER NOT NULL);
                """)
            guard role == .hub else { return }
            try db.execute(sql: """
                CREATE TABLE outbox_acknowledged (
                    peer TEXT NOT NULL, position INTEGER NOT NULL, origin TEXT NOT NULL, counter INTEGER NOT NULL,
                    PRIMARY KEY (peer, position)) WITHOUT ROWID;
                """)
        }
        // Release 2, 2/6 finding 3: what each office has booked in all its documents, so that no 64-bit sum a report
        // takes can overflow (`Limits.officeVolumeMinorUnitsMax`). Hub-only storage. Counted from this migration on: a
        // backfill would itself take the 64-bit sums that a release-2 hub's data could already have overflowed.
        migrator.registerMigration("v12-office-volume") { db in
            guard role == .hub else { return }
            try db.execute(sql: """
                CREATE TABLE office_volume (office TEXT PRIMARY KEY NOT NULL, amount INTEGER NOT NULL) WITHOUT ROWID;
                """)
        }
        // Release 2, 3/6 item 1: who a payment goes to and the document it rests on (the ¥50,000 rule for individuals);
        // NULL for payments of release 1 (organisation, no basis). Indexed by paying account for the available balance.
        migrator.registerMigration("v13-payment-payee") { db in
            try db.execute(sql: """
                ALTER TABLE payment ADD COLUMN payee_kind TEXT;
                ALTER TABLE payment ADD COLUMN basis TEXT;
                CREATE INDEX payment_account ON payment(account, state);
                """)
        }
        // Release 2, 3/6 item 6: why an account's status changed and who decided it (a freeze needs both).
        migrator.registerMigration("v14-account-status-reason") { db in
            try db.execute(sql: """
                ALTER TABLE account ADD COLUMN status_reason TEXT;
                ALTER TABLE account ADD COLUMN status_by TEXT;
                """)
        }
        // Release 2, 3/6 item 5: a lock that overrides the close's checks says why and who (replicated); the hub keeps
        // who reviewed an explanation before the close counts it (hub only).
        migrator.registerMigration("v15-close-controls") { db in
            try db.execute(sql: """
                ALTER TABLE period_lock ADD COLUMN override_reason TEXT;
                ALTER TABLE period_lock ADD COLUMN override_by TEXT;
                """)
            guard role == .hub else { return }
            try db.execute(sql: "ALTER TABLE recon_finding ADD COLUMN reviewed_by TEXT")
        }
        // Release 2, 3/6 item 8: China's business calendar in the registry (both roles).
        migrator.registerMigration("v16-calendar") { db in
            try db.execute(sql: """
                CREATE TABLE calendar_day (date TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
                    name TEXT NOT NULL) WITHOUT ROWID;
                """)
        }
        // Release 2, 3/6 item 3: fixed deposits and internal loans between the centre and a branch (both roles).
        migrator.registerMigration("v17-contracts") { db in
            try db.execute(sql: """
                CREATE TABLE contract (
                    id TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL, branch TEXT NOT NULL,
                    principal INTEGER NOT NULL CHECK (principal > 0), currency TEXT NOT NULL, term_months INTEGER NOT NULL,
                    rate_kind TEXT NOT NULL, rate_ppm INTEGER NOT NULL, day_count INTEGER NOT NULL, start_date TEXT NOT NULL,
                    maturity_date TEXT NOT NULL, chain_start TEXT NOT NULL, chain_paid INTEGER NOT NULL, interest_from TEXT NOT NULL,
                    state TEXT NOT NULL, closed_date TEXT, renewed_as TEXT, preparer TEXT NOT NULL, reviewer TEXT, approver TEXT);
                CREATE INDEX contract_branch ON contract(branch, state);
                """)
        }
        // Release 2, 3/6 item 6: an account's last annual inspection (replicated, both roles); the fund manager's check of
        // an account request, the first of its two steps (hub only: the approval that follows carries it in its reason).
        migrator.registerMigration("v18-account-controls") { db in
            try db.execute(sql: "ALTER TABLE account ADD COLUMN inspected_on TEXT")
            guard role == .hub else { return }
            try db.execute(sql: """
                CREATE TABLE account_request_check (request TEXT PRIMARY KEY NOT NULL, checked_by TEXT NOT NULL, note TEXT,
                    at_ms INTEGER NOT NULL) WITHOUT ROWID;
                """)
        }
        // Release 2, 3/6 item 5: level-by-level confirmations of the books (node documents, both roles).
        migrator.registerMigration("v19-confirmations") { db in
            try db.execute(sql: """
                CREATE TABLE confirmation (
                    id TEXT PRIMARY KEY NOT NULL, org TEXT NOT NULL, through TEXT NOT NULL, date TEXT NOT NULL,
                    intercompany INTEGER NOT NULL, bank_total INTEGER NOT NULL, preparer TEXT NOT NULL, reviewer TEXT NOT NULL,
                    approver TEXT NOT NULL);
                CREATE INDEX confirmation_org ON confirmation(org, through);
                """)
        }
        // Release 2, 4/6: people sign documents with keys the hub certifies. `staff_key` is registry data (both roles);
        // every signed document keeps its signatures (§14). The hub remembers which offices have announced personal
        // keys (their first signed document) and which accepted documents wait for a review of their signatures.
        migrator.registerMigration("v20-personal-signatures") { db in
            try db.execute(sql: """
                CREATE TABLE staff_key (
                    id TEXT PRIMARY KEY NOT NULL, staff TEXT NOT NULL, org TEXT NOT NULL, name TEXT NOT NULL, roles TEXT NOT NULL,
                    algorithm TEXT NOT NULL, public_key BLOB NOT NULL, valid_until TEXT NOT NULL, certified_in INTEGER NOT NULL,
                    issuer_key TEXT NOT NULL, certificate_signature BLOB NOT NULL, revoked_in INTEGER, revoked_reason TEXT,
                    revoked_on TEXT, revoked_by TEXT);
                CREATE INDEX staff_key_staff ON staff_key(staff);
                """)
            for table in ["voucher", "bank_journal", "balance_report", "slip", "forecast", "application", "account_request", "payment",
                          "explanation", "confirmation", "transition", "audit"] {
                try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN signatures TEXT")
            }
            // The acknowledgement before the latest different one (ReplicaTransaction.acknowledgedVector).
            try db.execute(sql: "ALTER TABLE stream_in ADD COLUMN previous_reported_vector TEXT NOT NULL DEFAULT '{}'")
            guard role == .hub else { return }
            try db.execute(sql: """
                CREATE TABLE signing_office (org TEXT PRIMARY KEY NOT NULL, first_signed TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE signature_review (
                    doc_table TEXT NOT NULL, doc_id TEXT NOT NULL, key_id TEXT NOT NULL, origin TEXT NOT NULL, staff TEXT NOT NULL,
                    reason TEXT NOT NULL, at_ms INTEGER NOT NULL, PRIMARY KEY (doc_table, doc_id, key_id)) WITHOUT ROWID;
                """)
        }
        // Release 2, 4/6: the web console's logins (office-local, never replicated): a bcrypt hash of each person's
        // passphrase, and the failures that lock an account for a while.
        migrator.registerMigration("v21-console-logins") { db in
            try db.execute(sql: """
                CREATE TABLE console_login (
                    staff TEXT PRIMARY KEY NOT NULL, hash TEXT NOT NULL, failures INTEGER NOT NULL DEFAULT 0,
                    locked_until_ms INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
                """)
        }
        // Release 2, 6/6 item 4: a bank statement an office imported is its document (both roles); the hub copies it
        // into its own statement tables, where its entries are matched to the bank journal, and says who imported it.
        migrator.registerMigration("v22-office-statements") { db in
            try db.execute(sql: """
                CREATE TABLE statement (
                    id TEXT PRIMARY KEY NOT NULL, org TEXT NOT NULL, account TEXT NOT NULL, currency TEXT NOT NULL, number INTEGER,
                    page INTEGER, reference TEXT NOT NULL, opening INTEGER NOT NULL, opening_date TEXT NOT NULL,
                    closing INTEGER NOT NULL, closing_date TEXT NOT NULL, entries TEXT NOT NULL, format TEXT NOT NULL,
                    file TEXT NOT NULL, file_sha256 TEXT NOT NULL, preparer TEXT NOT NULL, reviewer TEXT, signatures TEXT);
                CREATE INDEX statement_account ON statement(account, closing_date);
                """)
            guard role == .hub else { return }
            try db.execute(sql: "ALTER TABLE bank_statement ADD COLUMN imported_by TEXT")
        }
        // Release 2, 6/6: the time zone a bank account's bank states its times in (camt.053 date-times become that zone's
        // days), kept in the registry (both roles).
        migrator.registerMigration("v23-account-time-zone") { db in
            try db.execute(sql: "ALTER TABLE account ADD COLUMN time_zone TEXT")
        }
        // Release 2, 7/7: the instructions the hub sends its banks (pain.001) and the messages that carried them: the
        // hub's own working data (an outbox towards the bank), never replicated.
        migrator.registerMigration("v24-bank-instructions") { db in
            guard role == .hub else { return }
            try db.execute(sql: """
                CREATE TABLE bank_instruction (
                    end_to_end_id TEXT PRIMARY KEY NOT NULL, source TEXT NOT NULL, org TEXT NOT NULL, bank TEXT NOT NULL,
                    debtor_account TEXT NOT NULL, debtor_name TEXT NOT NULL, debtor_agent TEXT,
                    creditor_name TEXT NOT NULL, creditor_account TEXT NOT NULL, creditor_agent TEXT,
                    amount INTEGER NOT NULL CHECK (amount > 0), currency TEXT NOT NULL, remittance TEXT NOT NULL,
                    requested_date TEXT NOT NULL, state TEXT NOT NULL, message_id TEXT, created_at_ms INTEGER NOT NULL,
                    sent_at_ms INTEGER, answered_at_ms INTEGER, status_code TEXT, reason TEXT, booked_on TEXT,
                    resend_approved_by TEXT) WITHOUT ROWID;
                CREATE INDEX bank_instruction_state ON bank_instruction(state, bank);
                CREATE TABLE bank_message (
                    id TEXT PRIMARY KEY NOT NULL, bank TEXT NOT NULL, version TEXT NOT NULL, bytes BLOB NOT NULL,
                    state TEXT NOT NULL, created_at_ms INTEGER NOT NULL, delivered_at_ms INTEGER) WITHOUT ROWID;
                """)
        }
        // Release 2, 7/7 item 6: the balances banks state in their intraday reports (camt.052), the bank's figure of an
        // account on a day beside the statements' closing balances (hub only).
        migrator.registerMigration("v25-bank-balances") { db in
            guard role == .hub else { return }
            try db.execute(sql: """
                CREATE TABLE bank_balance (
                    account TEXT NOT NULL, date TEXT NOT NULL, balance INTEGER NOT NULL, source TEXT NOT NULL,
                    PRIMARY KEY (account, date)) WITHOUT ROWID;
                """)
        }
        // Release 2, 7/7 item 5: a batch payment (代发) lists its recipients (JSON text, PROTOCOL §6.18); NULL for an
        // ordinary payment.
        migrator.registerMigration("v26-batch-payments") { db in
            try db.execute(sql: "ALTER TABLE payment ADD COLUMN recipients TEXT")
            // The hub finds a released payment's instructions by their source (a batch payment has many).
            if role == .hub { try db.execute(sql: "CREATE INDEX bank_instruction_source ON bank_instruction(source)") }
        }
        // Release 2, 7/7 item 1: an allocation order paid through the bank is booked in the name of the cashier who sent
        // it (hub only).
        migrator.registerMigration("v27-instruction-requester") { db in
            guard role == .hub else { return }
            try db.execute(sql: "ALTER TABLE bank_instruction ADD COLUMN requested_by TEXT")
        }
        // Release 2, 8: the last attempt to close each month and whether it passed (hub only), for the failed-close
        // metric and alert.
        migrator.registerMigration("v28-close-attempts") { db in
            guard role == .hub else { return }
            try db.execute(sql: """
                CREATE TABLE close_attempt (
                    period TEXT PRIMARY KEY NOT NULL, at_ms INTEGER NOT NULL, passed INTEGER NOT NULL, reason_count INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        // Release 2, issue 10: each office says which release it runs (PROTOCOL §6.28, replicated, both roles); the hub
        // holds for a node what the node's release cannot represent until it announces a newer one (§11.4, hub only);
        // a node enrolled by this release is taken to run the release its administrator stated (`hub enroll --release`),
        // and one enrolled before it to run release 1 until it announces.
        migrator.registerMigration("v29-office-releases") { db in
            try db.execute(sql: """
                CREATE TABLE office_release (
                    id TEXT PRIMARY KEY NOT NULL, org TEXT NOT NULL, number INTEGER NOT NULL, version TEXT NOT NULL, formats TEXT NOT NULL);
                CREATE INDEX office_release_org ON office_release(org, number);
                """)
            guard role == .hub else { return }
            try db.execute(sql: """
                CREATE TABLE held_change (
                    peer TEXT NOT NULL, origin TEXT NOT NULL, counter INTEGER NOT NULL, needs_release INTEGER NOT NULL,
                    held_at_ms INTEGER NOT NULL, PRIMARY KEY (peer, origin, counter)
                ) WITHOUT ROWID;
                CREATE TABLE stated_release (org TEXT PRIMARY KEY NOT NULL, number INTEGER NOT NULL, at_ms INTEGER NOT NULL) WITHOUT ROWID;
                """)
        }
        return migrator
    }

    /// At the hub, an index of its own changes by row (`change_log_own`): the latest change of a registry row, which an
    /// enrolment sends the new node (`enqueueLatest`), is one lookup instead of a pass over every registry change
    /// (5/6). Partial, so the changes the hub receives (almost all of them) do not pay for it; its condition names the
    /// hub's own org code, which only `create` and `open` know, so it is made there rather than in a migration.
    static func ensureOwnChangeIndex(_ writer: any DatabaseWriter, role: ReplicaRole, org: OrgCode) throws {
        guard role == .hub else { return }
        try writer.write { db in
            try db.execute(sql: "CREATE INDEX IF NOT EXISTS change_log_own ON change_log(tbl, key, counter) WHERE origin = '\(org.rawValue)'")
        }
    }

    /// Issue 3/5: difference notices and explanations (replicated, both roles).
    static func replicatedReconciliationTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE difference_notice (
                id TEXT PRIMARY KEY NOT NULL, org TEXT NOT NULL, check_kind TEXT NOT NULL, subject TEXT NOT NULL,
                date TEXT NOT NULL, level TEXT NOT NULL, expected INTEGER, actual INTEGER, message TEXT NOT NULL,
                state TEXT NOT NULL);
            CREATE TABLE explanation (
                id TEXT PRIMARY KEY NOT NULL, org TEXT NOT NULL, notice TEXT NOT NULL, date TEXT NOT NULL, text TEXT NOT NULL,
                preparer TEXT NOT NULL, reviewer TEXT, approver TEXT);
            CREATE INDEX voucher_org_date ON voucher(org, date);
            """)
    }

    /// Issue 3/5: the hub's reconciliation state and bank statements (hub-only storage, not replicated).
    static func hubReconciliationTables(_ db: Database) throws {
        try db.execute(sql: """
            -- Daily movement per account, rebuilt per (org, date) cell: what every reconciliation check reads, so an
            -- incremental run touches only the cells a day's batches changed.
            CREATE TABLE recon_account_day (
                account TEXT NOT NULL, date TEXT NOT NULL, org TEXT NOT NULL, debit INTEGER NOT NULL, credit INTEGER NOT NULL,
                PRIMARY KEY (account, date)) WITHOUT ROWID;
            CREATE INDEX recon_account_day_org ON recon_account_day(org, date);
            CREATE TABLE recon_dirty (org TEXT NOT NULL, date TEXT NOT NULL, PRIMARY KEY (org, date)) WITHOUT ROWID;
            CREATE TABLE recon_finding (
                id TEXT PRIMARY KEY NOT NULL, check_kind TEXT NOT NULL, org TEXT NOT NULL, level TEXT NOT NULL,
                subject TEXT NOT NULL, date TEXT NOT NULL, expected INTEGER, actual INTEGER, message TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'open', notice TEXT, explanation TEXT);
            CREATE INDEX recon_finding_org ON recon_finding(org, date);
            CREATE TABLE bank_statement (
                id TEXT PRIMARY KEY NOT NULL, account TEXT NOT NULL, statement_id TEXT NOT NULL, sequence INTEGER,
                currency TEXT NOT NULL, opening INTEGER NOT NULL, opening_date TEXT NOT NULL, closing INTEGER NOT NULL,
                closing_date TEXT NOT NULL, format TEXT NOT NULL, file TEXT NOT NULL);
            CREATE TABLE bank_statement_entry (
                statement TEXT NOT NULL, line_no INTEGER NOT NULL, account TEXT NOT NULL, booking_date TEXT NOT NULL,
                amount INTEGER NOT NULL, reference TEXT NOT NULL, counterparty TEXT NOT NULL, narrative TEXT NOT NULL,
                journal TEXT, PRIMARY KEY (statement, line_no)) WITHOUT ROWID;
            CREATE INDEX bank_statement_entry_account ON bank_statement_entry(account, booking_date);
            ALTER TABLE bank_journal ADD COLUMN statement_entry TEXT;
            """)
    }

    /// Issue 2/5: the fund-management registry and documents.
    static func businessTables(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE account ADD COLUMN purpose TEXT;
            ALTER TABLE account ADD COLUMN class TEXT;
            ALTER TABLE account ADD COLUMN bank TEXT;
            ALTER TABLE account ADD COLUMN retained_balance INTEGER;
            ALTER TABLE account ADD COLUMN max_deposit INTEGER;
            ALTER TABLE account ADD COLUMN settlement_number TEXT;
            ALTER TABLE account ADD COLUMN status_from TEXT;
            -- Effective-dated status of every account, derived from its changes: what "as of the business date" reads.
            -- WITHOUT ROWID tables here declare their primary-key columns first: SQLite 3.40's integrity_check
            -- wrongly reports NULLs in NOT NULL columns that precede a key column.
            CREATE TABLE account_status_history (
                account TEXT NOT NULL, effective_from TEXT NOT NULL, counter INTEGER NOT NULL, status TEXT NOT NULL,
                PRIMARY KEY (account, effective_from, counter)) WITHOUT ROWID;
            ALTER TABLE voucher ADD COLUMN reviewer TEXT;
            ALTER TABLE voucher ADD COLUMN approver TEXT;
            ALTER TABLE voucher ADD COLUMN source TEXT;
            CREATE INDEX voucher_source ON voucher(source) WHERE source IS NOT NULL;
            CREATE INDEX voucher_line_account ON voucher_line(account);
            CREATE TABLE staff (id TEXT PRIMARY KEY NOT NULL, org TEXT NOT NULL, name TEXT NOT NULL, roles TEXT NOT NULL);
            CREATE TABLE approval_rule (
                id TEXT PRIMARY KEY NOT NULL, category TEXT NOT NULL, tier INTEGER NOT NULL, basis TEXT NOT NULL,
                approver_role TEXT NOT NULL, effective_from TEXT NOT NULL);
            CREATE TABLE sweep_plan (
                id TEXT PRIMARY KEY NOT NULL, org TEXT NOT NULL, account TEXT NOT NULL, collection_account TEXT NOT NULL,
                mode TEXT NOT NULL, retained_balance INTEGER NOT NULL, frequency TEXT NOT NULL, effective_from TEXT NOT NULL);
            CREATE TABLE rate (
                id TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL, effective_from TEXT NOT NULL, rate_ppm INTEGER NOT NULL,
                day_count INTEGER NOT NULL);
            CREATE TABLE parameter (
                id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, effective_from TEXT NOT NULL);
            CREATE TABLE period_lock (id TEXT PRIMARY KEY NOT NULL, locked_through TEXT NOT NULL);
            CREATE TABLE bank_journal (
                id TEXT PRIMARY KEY NOT NULL, org TEXT NOT NULL, account TEXT NOT NULL, date TEXT NOT NULL,
                direction TEXT NOT NULL CHECK (direction IN ('receipt', 'payment')), amount INTEGER NOT NULL CHECK (amount > 0),
                advice TEXT NOT NULL, counterparty TEXT, memo TEXT, slip TEXT, preparer TEXT NOT NULL, reviewer TEXT);
            CREATE INDEX bank_journal_account ON bank_journal(account, date);
            CREATE TABLE balance_report (
                id TEXT PRIMARY KEY NOT NULL, org TEXT NOT NULL, account TEXT NOT NULL, date TEXT NOT NULL,
                balance INTEGER NOT NULL, preparer TEXT NOT NULL, reviewer TEXT);
            CREATE INDEX balance_report_org ON balance_report(org, date);
            CREATE TABLE slip (
                id TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL, issuer TEXT NOT NULL, receiver TEXT NOT NULL,
                date TEXT NOT NULL, amount INTEGER NOT NULL CHECK (amount > 0), currency TEXT NOT NULL, bank_account TEXT,
                bank_advice TEXT, memo TEXT, related TEXT, issuer_entries TEXT, receiver_entries TEXT,
                preparer TEXT NOT NULL, reviewer TEXT, approver TEXT,
                status TEXT NOT NULL DEFAULT 'issued', status_date TEXT);
            CREATE INDEX slip_receiver ON slip(receiver, status);
            CREATE TABLE forecast (
                id TEXT PRIMARY KEY NOT NULL, org TEXT NOT NULL, period TEXT NOT NULL, date TEXT NOT NULL,
                amounts TEXT NOT NULL, total INTEGER NOT NULL, preparer TEXT NOT NULL, reviewer TEXT, approver TEXT);
            CREATE TABLE application (
                id TEXT PRIMARY KEY NOT NULL, org TEXT NOT NULL, category TEXT NOT NULL, amount INTEGER NOT NULL,
                reason TEXT NOT NULL, date TEXT NOT NULL, preparer TEXT NOT NULL, reviewer TEXT, approver TEXT,
                state TEXT NOT NULL, vector TEXT NOT NULL DEFAULT '{}', state_by_hub INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE account_request (
                id TEXT PRIMARY KEY NOT NULL, org TEXT NOT NULL, action TEXT NOT NULL, account TEXT NOT NULL,
                details TEXT NOT NULL, date TEXT NOT NULL, preparer TEXT NOT NULL, reviewer TEXT, approver TEXT,
                state TEXT NOT NULL, vector TEXT NOT NULL DEFAULT '{}', state_by_hub INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE payment (
                id TEXT PRIMARY KEY NOT NULL, org TEXT NOT NULL, account TEXT NOT NULL, payee TEXT NOT NULL,
                payee_account TEXT NOT NULL, amount INTEGER NOT NULL CHECK (amount > 0), date TEXT NOT NULL,
                purpose TEXT NOT NULL, expense_account TEXT NOT NULL, preparer TEXT NOT NULL, reviewer TEXT, approver TEXT,
                state TEXT NOT NULL, vector TEXT NOT NULL DEFAULT '{}', state_by_hub INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE allocation (
                id TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL, branch TEXT NOT NULL, amount INTEGER NOT NULL,
                date TEXT NOT NULL, period TEXT, application TEXT, source_account TEXT NOT NULL, slip TEXT,
                preparer TEXT NOT NULL, reviewer TEXT, approver TEXT, state TEXT NOT NULL);
            CREATE TABLE transition (
                id TEXT PRIMARY KEY NOT NULL, doc_table TEXT NOT NULL, doc_id TEXT NOT NULL, from_state TEXT NOT NULL,
                to_state TEXT NOT NULL, actor TEXT NOT NULL, reason TEXT, based_on TEXT NOT NULL, by_hub INTEGER NOT NULL);
            -- Concurrent transitions: the losing one is kept here and listed by `fundsync conflicts` (derived locally).
            CREATE TABLE conflict (
                doc_table TEXT NOT NULL, doc_id TEXT NOT NULL, loser TEXT NOT NULL, winner TEXT NOT NULL,
                loser_state TEXT NOT NULL, kept_state TEXT NOT NULL, PRIMARY KEY (doc_table, doc_id, loser)) WITHOUT ROWID;
            -- What each peer last told us in its acknowledgement vector, and the registry version it has applied.
            ALTER TABLE stream_in ADD COLUMN reported_vector TEXT NOT NULL DEFAULT '{}';
            ALTER TABLE stream_out ADD COLUMN registry_counter INTEGER NOT NULL DEFAULT 0;
            """)
    }
}
