#!/usr/bin/env bash
# Tests/Postgres/hub_serve_failover.sh FUNDSYNC_BIN — `hub serve` on a PostgreSQL store of record with a synchronous
# standby, in real processes (issue 11 item 3), syncing across the failover:
#   1. the hub is made with `hub init --store` on a multi-host string (primary, standby);
#   2. a county posts a voucher and syncs with the running `hub serve`, again and again, recording the counter the
#      hub acknowledged after each sync that succeeded;
#   3. the primary is killed with SIGKILL mid-stream; syncs fail (the hub refuses to acknowledge what it cannot make
#      durable) until the standby is promoted; the same `hub serve` process then goes on — it reconnects by itself;
#   4. afterwards no change the hub acknowledged is missing from the promoted database, the county's every change is
#      at the hub, `verify` passes, and the working copy equals the database table by table.
# Ports: free ones from FUNDSYNC_PG_TEST_PORT (default 55460).
set -euo pipefail
BIN=$(realpath "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PORT=$("$ROOT/Scripts/pg-cluster" free-port "${FUNDSYNC_PG_TEST_PORT:-55460}")
STANDBY_PORT=$("$ROOT/Scripts/pg-cluster" free-port $((PORT + 1)))
HUB_PORT=$("$ROOT/Scripts/pg-cluster" free-port $((STANDBY_PORT + 1)))
ADMIN_PORT=$("$ROOT/Scripts/pg-cluster" free-port $((HUB_PORT + 1)))
W=$(mktemp -d "${TMPDIR:-/tmp}/fundsync-serve-failover.XXXXXX")
chmod 755 "$W"
server=
cleanup() {
    [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    "$ROOT/Scripts/pg-cluster" stop "$W/primary" >/dev/null 2>&1 || true
    "$ROOT/Scripts/pg-cluster" stop "$W/standby" >/dev/null 2>&1 || true
    if [[ ${KEEP:-} == 1 ]]; then echo "kept $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
fail() { echo "hub serve failover: FAILED: $*" >&2; [[ -f $W/serve.log ]] && tail -n 30 "$W/serve.log" >&2; exit 1; }
quiet() { "$@" >>"$W/commands.log" 2>&1 || { tail -n 20 "$W/commands.log" >&2; fail "$*"; }; }
counter() { sqlite3 "$W/340100/replica.sqlite" "SELECT counter FROM version_vector WHERE origin = '340100'"; }
at_hub() { # PORT: the county's counter in the hub's database
    psql -X -At -h 127.0.0.1 -p "$1" -U fundsync -d fundsync -c "SELECT counter FROM version_vector WHERE origin = '340100'"
}

"$ROOT/Scripts/pg-cluster" start "$W/primary" "$PORT" >/dev/null
"$ROOT/Scripts/pg-cluster" standby "$W/primary" "$PORT" "$W/standby" "$STANDBY_PORT"
BOTH="postgres://fundsync@127.0.0.1:$PORT,127.0.0.1:$STANDBY_PORT/fundsync?connect_timeout=2&answer_timeout=5"

quiet "$BIN" hub init --data "$W/hub" --org 340000 --name "Anhui (安徽省财政厅)" --store "$BOTH"
[[ -f $W/hub/store.json ]] && ! grep -qi password "$W/hub/store.json" || fail "store.json missing or holding a password"
quiet "$BIN" node init --data "$W/340100" --org 340100 --hub-key "$W/hub/public.key"
quiet "$BIN" hub enroll --data "$W/hub" --org 340100 --parent 340000 --level city --name "Hefei (合肥市财政局)" --key "$W/340100/public.key"
quiet "$BIN" hub account add --data "$W/hub" --org 340100 --kind bank --code 1302010109024613578 --name "income account" \
    --purpose income --class general --bank "ICBC Hefei" --retained 50000.00
quiet "$BIN" hub account add --data "$W/hub" --org 340100 --kind subject --code 4001 --name "Fund balance brought forward"
quiet "$BIN" hub staff --data "$W/hub" --id 340100-cashier --org 340100 --name "Li Jing" --roles cashier
quiet "$BIN" hub staff --data "$W/hub" --id 340100-manager --org 340100 --name "Wu Hong" --roles finance_manager
echo "hub serve failover: hub made on PostgreSQL ($(at_hub "$PORT" || true) county changes yet; $(psql -X -At -h 127.0.0.1 -p "$PORT" -U fundsync -d fundsync -c "SELECT value FROM meta WHERE key = 'store.commit'") commits)"

"$BIN" hub serve --data "$W/hub" --listen "127.0.0.1:$HUB_PORT" --admin-listen "127.0.0.1:$ADMIN_PORT" >"$W/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do grep -q "listening on" "$W/serve.log" && break; sleep 0.1; done
grep -q "listening on" "$W/serve.log" || fail "hub serve did not start"
HUB="http://127.0.0.1:$HUB_PORT"
SYNC=(sync --data "$W/340100" --hub "$HUB" --retry-attempt-count-max 1 --connect-timeout-milliseconds 2000 --request-timeout-milliseconds 20000)
quiet "$BIN" "${SYNC[@]}"

# Post and sync, recording what the hub acknowledged after each sync that succeeded.
: >"$W/acknowledged"
n=0
round() {
    n=$((n + 1))
    printf '{"vouchers": [{"date": "2026-11-02", "memo": "receipt %d", "preparer": "340100-cashier", "reviewer": "340100-manager", "lines": [{"account": "1302010109024613578", "debit": "%d.00"}, {"account": "340100:4001", "credit": "%d.00"}]}]}\n' \
        "$n" "$n" "$n" >"$W/voucher.json"
    quiet "$BIN" post --data "$W/340100" "$W/voucher.json"
    if "$BIN" "${SYNC[@]}" >>"$W/sync.log" 2>&1; then counter >>"$W/acknowledged"; return 0; fi
    return 1
}
for _ in $(seq 1 8); do round || fail "a sync failed before the kill (see $W/sync.log)"; done
echo "hub serve failover: 8 syncs through hub serve on the primary; the hub acknowledged counter $(tail -n 1 "$W/acknowledged")"

# The primary dies mid-stream: a sync is started, and the primary is killed while it runs.
round &
syncing=$!
sleep 0.3
"$ROOT/Scripts/pg-cluster" kill "$W/primary" >/dev/null
wait "$syncing" || true
failed=0
for _ in $(seq 1 3); do round || failed=$((failed + 1)); done
((failed == 3)) || fail "$((3 - failed)) sync(s) succeeded with no primary: the hub acknowledged what it could not make durable"
echo "hub serve failover: primary killed with SIGKILL; with no primary the hub acknowledged nothing (3 syncs refused)"

"$ROOT/Scripts/pg-cluster" promote "$W/standby" >/dev/null
after=0
for _ in $(seq 1 60); do
    if round; then after=$((after + 1)); [[ $after -ge 8 ]] && break; else sleep 0.5; fi
done
((after >= 8)) || fail "syncing did not resume after the promotion ($after syncs went through)"
kill -0 "$server" 2>/dev/null || fail "hub serve exited"
echo "hub serve failover: the standby promoted; the same hub serve process (pid $server) went on: $after syncs since"
grep -q "store of record: connected to 127.0.0.1:$STANDBY_PORT" "$W/serve.log" || fail "hub serve did not log its reconnection to the promoted standby"

# Nothing acknowledged is missing: the highest counter the county saw acknowledged is in the promoted database, and
# after the county's last sync everything it wrote is there.
highest=$(sort -n "$W/acknowledged" | tail -n 1)
in_database=$(at_hub "$STANDBY_PORT")
((in_database >= highest)) || fail "the hub acknowledged counter $highest but the database holds $in_database"
quiet "$BIN" "${SYNC[@]}"
[[ $(at_hub "$STANDBY_PORT") == $(counter) ]] || fail "the county's changes are not all at the hub: $(at_hub "$STANDBY_PORT") of $(counter)"
echo "hub serve failover: all $(counter) changes of the county at the hub; acknowledged before and after the kill: $(wc -l <"$W/acknowledged") syncs, highest counter $highest"

kill "$server"
wait "$server" 2>/dev/null || true
server=
quiet "$BIN" verify --data "$W/hub"
quiet "$BIN" hub migrate-store --data "$W/hub" --check "$BOTH"
echo "hub serve failover: passed (verify passes; the working copy equals the promoted database table by table)"
