import GRDB

/// The replica's schema as append-only, string-named migrations (GRDB `DatabaseMigrator`).
///
/// Never edit a registered migration: add a new one. Migrations use raw SQL and column names only, never app
/// types, so that an old database upgrades the same way forever.
enum ReplicaSchema {
    static var migrator: DatabaseMigrator {
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
        return migrator
    }
}
