#!/usr/bin/env bash
# Nodes/postgres/check-replication.sh HOST PORT [USER] — is the hub's database safe to acknowledge on? For cron, a
# monitoring agent or an operator. Prints one line and exits:
#   0  a primary with a synchronous standby streaming to it (commits are on two machines)
#   1  a primary without a synchronous standby: commits hang (synchronous_standby_names names a standby that is not
#      there) or are on one machine only; page the database administrator
#   2  a standby (read-only): the hub must not use this server for writes; fine for reports and checks
#   3  the server cannot be reached
# Run as a role allowed to read pg_stat_replication (pg_monitor, or the superuser).
set -uo pipefail
host=$1 port=$2 user=${3:-postgres}
query() { psql -X -At -h "$host" -p "$port" -U "$user" -d postgres -c "$1" 2>/dev/null; }
recovery=$(query "SELECT pg_is_in_recovery()") || { echo "unreachable: $host:$port"; exit 3; }
if [[ $recovery == t ]]; then
    echo "standby: $host:$port replays from $(query "SELECT sender_host || ':' || sender_port FROM pg_stat_wal_receiver" || echo '?') (lag $(query "SELECT COALESCE(now() - pg_last_xact_replay_timestamp(), '0')::text"))"
    exit 2
fi
names=$(query "SHOW synchronous_standby_names")
sync=$(query "SELECT application_name || ' ' || state || ', replay lag ' || COALESCE(replay_lag::text, '0') FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum') LIMIT 1")
if [[ -n $sync ]]; then
    echo "primary: $host:$port, synchronous standby $sync"
    exit 0
fi
echo "primary: $host:$port WITHOUT a synchronous standby (synchronous_standby_names = '$names'; streaming: $(query "SELECT COUNT(*) FROM pg_stat_replication"))"
exit 1
