#!/usr/bin/env bash
# Tests/Postgres/standby_failover.sh FUNDSYNC_BIN — the hub's PostgreSQL store on a primary with a synchronous
# standby, in real processes (issue 11 item 3): the primary is killed with SIGKILL, the standby promoted, and
#   1. every commit the primary acknowledged is on the promoted standby (a writer records each acknowledged commit
#      while the primary dies under it);
#   2. the hub copied by `hub migrate-store` just before the kill is there whole: the check through the multi-host
#      string (primary first) passes against the promoted standby, with the SQLite hub's fingerprints;
#   3. before the promotion the same string refuses to settle on a read-only standby (and says why for each host),
#      while `target_session_attrs=any` reads from it;
#   4. the hub copied back from the promoted standby opens and verifies.
# Ports: the first two free ones from FUNDSYNC_PG_TEST_PORT (default 55440).
set -euo pipefail
BIN=$(realpath "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PORT=$("$ROOT/Scripts/pg-cluster" free-port "${FUNDSYNC_PG_TEST_PORT:-55440}")
STANDBY_PORT=$("$ROOT/Scripts/pg-cluster" free-port $((PORT + 1)))
W=$(mktemp -d "${TMPDIR:-/tmp}/fundsync-failover.XXXXXX")
chmod 755 "$W"
cleanup() {
    "$ROOT/Scripts/pg-cluster" stop "$W/primary" >/dev/null 2>&1 || true
    "$ROOT/Scripts/pg-cluster" stop "$W/standby" >/dev/null 2>&1 || true
    if [[ ${KEEP:-} == 1 ]]; then echo "kept $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
as_postgres() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
fail() { echo "standby failover: FAILED: $*" >&2; exit 1; }
quiet() { "$@" >>"$W/commands.log" 2>&1 || { tail -n 20 "$W/commands.log" >&2; fail "$*"; }; }

# A small province with books: the hub, one city office, its accounts and clerks, an opening voucher, one exchange
# each way.
quiet "$BIN" hub init --data "$W/hub" --org 340000 --name "Anhui (安徽省财政厅)"
quiet "$BIN" node init --data "$W/340100" --org 340100 --hub-key "$W/hub/public.key"
quiet "$BIN" hub enroll --data "$W/hub" --org 340100 --parent 340000 --level city --name "Hefei (合肥市财政局)" --key "$W/340100/public.key"
quiet "$BIN" hub account add --data "$W/hub" --org 340100 --kind bank --code 1302010109024613578 --name "income account" \
    --purpose income --class general --bank "ICBC Hefei" --retained 50000.00
quiet "$BIN" hub account add --data "$W/hub" --org 340100 --kind subject --code 4001 --name "Fund balance brought forward"
quiet "$BIN" hub staff --data "$W/hub" --id 340100-cashier --org 340100 --name "Li Jing" --roles cashier
quiet "$BIN" hub staff --data "$W/hub" --id 340100-manager --org 340100 --name "Wu Hong" --roles finance_manager
quiet "$BIN" export --data "$W/hub" --to "$W/out/hub"
quiet "$BIN" import --data "$W/340100" "$W"/out/hub/*
cat >"$W/opening.json" <<'JSON'
{"vouchers": [{"date": "2026-11-02", "memo": "opening balance", "preparer": "340100-cashier", "reviewer": "340100-manager",
  "lines": [{"account": "1302010109024613578", "debit": "1250000.00"}, {"account": "340100:4001", "credit": "1250000.00"}]}]}
JSON
quiet "$BIN" post --data "$W/340100" "$W/opening.json"
quiet "$BIN" export --data "$W/340100" --to "$W/out/340100"
quiet "$BIN" import --data "$W/hub" "$W"/out/340100/*
echo "standby failover: a hub with books ($(sqlite3 "$W/hub/replica.sqlite" 'SELECT COUNT(*) FROM change_log') changes)"

# The primary, and a standby it commits to synchronously.
"$ROOT/Scripts/pg-cluster" start "$W/primary" "$PORT" >/dev/null
"$ROOT/Scripts/pg-cluster" standby "$W/primary" "$PORT" "$W/standby" "$STANDBY_PORT"
BOTH="postgres://fundsync@127.0.0.1:$PORT,127.0.0.1:$STANDBY_PORT/fundsync?connect_timeout=2"
# The monitoring check of Nodes/postgres says what each server is.
check() { # PORT EXPECTED_STATUS
    local output status
    output=$(as_postgres "$ROOT/Nodes/postgres/check-replication.sh" 127.0.0.1 "$1") && status=0 || status=$?
    echo "standby failover: check-replication $1: $output"
    ((status == $2)) || fail "check-replication on $1 exited $status, expected $2"
}
check "$PORT" 0
check "$STANDBY_PORT" 2

quiet "$BIN" hub migrate-store --data "$W/hub" --to "$BOTH"
echo "standby failover: the hub copied into the primary and checked"

# A writer commits numbered rows one by one and records each commit the primary acknowledged; the primary dies
# under it.
psql -X -q -h 127.0.0.1 -p "$PORT" -U fundsync -d fundsync -c "CREATE TABLE ack_probe (n BIGINT PRIMARY KEY)"
: >"$W/acknowledged"
(
    for n in $(seq 1 100000); do
        psql -X -q -h 127.0.0.1 -p "$PORT" -U fundsync -d fundsync -c "INSERT INTO ack_probe VALUES ($n)" >/dev/null 2>&1 || exit 0
        echo "$n" >>"$W/acknowledged" || exit 0
    done
) &
writer=$!
for _ in $(seq 1 100); do [[ $(wc -l <"$W/acknowledged") -ge 40 ]] && break; sleep 0.1; done
"$ROOT/Scripts/pg-cluster" kill "$W/primary" >/dev/null
kill "$writer" 2>/dev/null || true
wait "$writer" || true
acknowledged=$(wc -l <"$W/acknowledged")
((acknowledged >= 40)) || fail "the writer got only $acknowledged commits through before the kill"
echo "standby failover: primary killed with SIGKILL after $acknowledged acknowledged commits"

# Before the promotion: nothing accepts writes, and the refusal names both hosts.
if "$BIN" hub migrate-store --data "$W/hub" --check "$BOTH" >"$W/before.out" 2>&1; then fail "a read-write check settled on a standby"; fi
grep -q "127.0.0.1:$PORT:" "$W/before.out" && grep -q "127.0.0.1:$STANDBY_PORT: a standby (read-only)" "$W/before.out" \
    || { cat "$W/before.out" >&2; fail "the refusal does not say why each host was passed over"; }
quiet "$BIN" hub migrate-store --data "$W/hub" --check "$BOTH&target_session_attrs=any"
echo "standby failover: before promotion, read-write refused (no primary), the standby readable and equal"

"$ROOT/Scripts/pg-cluster" promote "$W/standby" >/dev/null
check "$STANDBY_PORT" 1   # promoted: a primary on one machine until a new standby is built
missing=$(comm -23 <(sort "$W/acknowledged") <(psql -X -At -h 127.0.0.1 -p "$STANDBY_PORT" -U fundsync -d fundsync \
    -c "SELECT n FROM ack_probe" | sort))
[[ -z $missing ]] || fail "acknowledged commits missing after failover: $(echo "$missing" | head -5 | tr '\n' ' ')"
echo "standby failover: all $acknowledged acknowledged commits are on the promoted standby"

quiet "$BIN" hub migrate-store --data "$W/hub" --check "$BOTH"
echo "standby failover: the same connection string found the promoted standby; the hub there equals the SQLite hub"

quiet "$BIN" hub migrate-store --from "$BOTH" --data "$W/hub-back"
cp "$W"/hub/*.key "$W/hub-back/"
quiet "$BIN" verify --data "$W/hub-back"
# The same statements, schema and rows (sorted: the copy creates the tables in name order, SQLite's .dump follows
# creation order).
[[ $(sqlite3 "$W/hub-back/replica.sqlite" .dump | sort | md5sum) == $(sqlite3 "$W/hub/replica.sqlite" .dump | sort | md5sum) ]] \
    || fail "the hub copied back differs from the original (.dump)"
echo "standby failover: passed (the hub copied back from the promoted standby verifies; its .dump has the original's every line)"
