#!/usr/bin/env bash
# Installs the two peers from Debian bookworm (InfluxDB 1.6.7~rc0, VictoriaMetrics 1.79.5) and makes
# sure their package services are stopped and disabled, so only the servers run.sh starts by hand
# (on 127.0.0.1, data under $WORK) listen. Needs root.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || die "run as root (apt-get)"
apt-get update
# The package scripts try to start the services; on machines without systemd policy-rc.d may
# already refuse that, elsewhere they are stopped right below.
DEBIAN_FRONTEND=noninteractive apt-get install -y influxdb victoria-metrics curl iproute2 procps findutils gawk

for svc in influxdb victoria-metrics; do
    if [ -d /run/systemd/system ]; then
        systemctl disable --now "$svc" 2>/dev/null || true
    else
        service "$svc" stop 2>/dev/null || true
        update-rc.d "$svc" disable 2>/dev/null || true
    fi
done

# Package daemons run as their package users; stop any that is still up (by pid, one at a time).
for pid in $(pgrep -u influxdb -f '^/usr/bin/influxd' || true) $(pgrep -u _victoria-metrics -f '^/usr/bin/victoria-metrics' || true); do
    log "stopping package daemon pid $pid: $(tr '\0' ' ' </proc/"$pid"/cmdline)"
    kill -TERM "$pid" || true
done

dpkg-query -W -f '${Package} ${Version}\n' influxdb victoria-metrics
for port in "$STRATA_PORT" "$VM_PORT" "$INFLUX_PORT" "$INFLUX_RPC_PORT"; do
    port_busy "$port" && log "warning: something listens on port $port: $(ss -ltnpH "sport = :$port")"
done
log "peers installed; nothing of theirs is running"
