#!/bin/bash
# G8: time from starting the server to its first /ping answer, with W in the WAL.
# Usage: bench/restart-time.sh SNAPSHOT_DIR CONFIG [RUNS] [SERVER]
#   SNAPSHOT_DIR  a data directory left by SIGKILL after writing W (README, "Commands for the goals above")
#   CONFIG        its TOML ([api] port = 8086, [storage] memtable-size = "3g")
#   SERVER        the native binary of `dotnet publish -c Release src/Strata.Server` (default), or a .dll run under dotnet
# Each run restores a copy of the snapshot, starts the server, polls /ping every 10 ms, prints the time to the
# first answer and the replay time from the log, then kills the server with SIGKILL.
set -euo pipefail
snapshot=$1
config=$2
runs=${3:-5}
server_bin=${4:-src/Strata.Server/bin/Release/net10.0/linux-x64/publish/Strata.Server}
if [[ $server_bin == *.dll ]]; then command=(dotnet "$server_bin"); else command=("$server_bin"); fi
data=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$data" "$log"' EXIT
for _ in $(seq 1 "$runs"); do
  rm -rf "$data" && cp -a "$snapshot" "$data" && sync
  start=$(date +%s.%N)
  "${command[@]}" --data-dir "$data" -config "$config" >"$log" 2>&1 &
  server=$!
  until curl -s -o /dev/null -m 1 http://127.0.0.1:8086/ping; do sleep 0.01; done
  end=$(date +%s.%N)
  echo "ready $(echo "$end - $start" | bc) s, replay $(grep -o 'in [0-9]* ms' "$log" | head -1)"
  kill -9 "$server" && wait "$server" 2>/dev/null || true
done
