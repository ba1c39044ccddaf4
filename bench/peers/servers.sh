#!/usr/bin/env bash
# Starts and stops the three servers by hand, the way run.sh does (for poking at them):
#   servers.sh start strata|vm|influx [DATA_DIR]    (default DATA_DIR: $WORK/<name>-manual)
#   servers.sh stop strata|vm|influx|all            (SIGTERM to the recorded pid; they flush)
#   servers.sh status
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mkdir -p "$WORK"

case "${1:-}" in
start)
    name=${2:?strata, vm or influx}
    dir=${3:-$WORK/$name-manual}
    case "$name" in
    strata) start_strata "$dir" ;;
    vm) start_vm "$dir" ;;
    influx) start_influx "$dir" ;;
    *) die "unknown server $name" ;;
    esac
    log "$name running, pid $(server_pid "$name"), data in $dir, log $WORK/$name.log"
    ;;
stop)
    case "${2:?strata, vm, influx or all}" in
    all) for n in strata vm influx; do stop_server "$n"; done ;;
    strata | vm | influx) stop_server "$2" ;;
    *) die "unknown server $2" ;;
    esac
    ;;
status)
    for n in strata vm influx; do
        f=$(pidfile "$n")
        if [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; then echo "$n running, pid $(cat "$f")"; else echo "$n stopped"; fi
    done
    ;;
*) die "usage: servers.sh start strata|vm|influx [DATA_DIR] | stop strata|vm|influx|all | status" ;;
esac
