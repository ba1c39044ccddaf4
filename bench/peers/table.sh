#!/usr/bin/env bash
# Prints the markdown results table of a run.sh session from its raw.tsv (run, system, variant,
# metric, value): medians over the runs, with every run's value in brackets, then the goals.
#   bench/peers/table.sh [RAW_TSV]      (default /tmp/strata-peers/results/raw.tsv)
set -euo pipefail
RAW=${1:-${OUT:-/tmp/strata-peers/results}/raw.tsv}
[ -s "$RAW" ] || { echo "no results in $RAW" >&2; exit 1; }

awk -F'\t' '
{ k = $2 "|" $3 "|" $4; v[k] = (k in v) ? v[k] " " $5 : $5 }

function med(k,    n, a, i, j, t) {
    if (!(k in v)) return ""
    n = split(v[k], a, " ")
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function has(k) { return k in v }
function thousands(x,    s, r) {
    s = sprintf("%.0f", x); r = ""
    while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
    return s r
}
function fmt(x, f) { return x == "" ? "—" : (f == "n" ? thousands(x) : sprintf(f, x)) }
function runs(k, f,    n, a, i, s) {
    if (!(k in v)) return ""
    n = split(v[k], a, " "); s = ""
    for (i = 1; i <= n; i++) s = s (i > 1 ? ", " : "") fmt(a[i], f)
    return "(" s ")"
}
function cell(k, f) { return has(k) ? fmt(med(k), f) " " runs(k, f) : "—" }
function verdict(ok) { return ok ? "**met**" : "**missed**" }

END {
    name["strata"] = "Strata (0.8 JSON)"; name["vm"] = "VictoriaMetrics (line protocol)"; name["influx"] = "InfluxDB 1.6 (line protocol)"
    split("strata vm influx", sys, " ")
    split("walk counter", vars, " ")

    print "### G1: ingest, points/s (median, then each run)"
    print ""
    print "| System | Values | points/s | request p50 / p99 ms | server CPU, cores | generator CPU, cores | other work, cores |"
    print "|---|---|---|---|---|---|---|"
    for (x = 1; x <= 2; x++) for (i = 1; i <= 3; i++) {
        p = sys[i] "|" vars[x] "|"
        if (!has(p "ingest_pps")) continue
        printf "| %s | %s | %s | %s / %s | %s | %s | %s |\n", name[sys[i]], vars[x], cell(p "ingest_pps", "n"),
            fmt(med(p "ingest_p50_ms"), "%.1f"), fmt(med(p "ingest_p99_ms"), "%.0f"),
            fmt(med(p "server_cores"), "%.2f"), fmt(med(p "gen_cores"), "%.2f"), runs(p "other_cores", "%.2f")
    }
    for (f = 1; f <= 2; f++) {
        fm = f == 1 ? "json" : "line"; p = "sink|" fm "|"
        if (has(p "ingest_pps"))
            printf "| generator ceiling (`--sink`, %s) | walk | %s | — | — | %s (generator + sink) | %s |\n", fm, cell(p "ingest_pps", "n"), fmt(med(p "gen_cores"), "%.2f"), runs(p "other_cores", "%.2f")
    }
    for (x = 1; x <= 2; x++) if (has("strata|" vars[x] "|write_failures"))
        printf "\nStrata %s writes that failed with 400 \"No shard space matches series … a space named default already exists\" and were redone on a fresh data dir: %d\n", vars[x], split(v["strata|" vars[x] "|write_failures"], tmp, " ")
    print ""
    print "### G2: bytes per point after flush / merges / compaction (median, then each run)"
    print ""
    print "| System | Values | main files | whole data dir | whole dir, allocated blocks | other |"
    print "|---|---|---|---|---|---|"
    main["strata"] = "segments (`*.seg`)"; main["vm"] = "`data/` + `indexdb/`"; main["influx"] = "TSM (`*.tsm`)"
    for (x = 1; x <= 2; x++) for (i = 1; i <= 3; i++) {
        p = sys[i] "|" vars[x] "|"
        if (!has(p "main_bpp")) continue
        other = ""
        if (sys[i] == "vm") other = "whole dir after stop (saved caches): " fmt(med(p "stopped_bpp"), "%.3f")
        if (sys[i] == "influx") other = "WAL " fmt(med(p "wal_bpp"), "%.3f") ", series file " fmt(med(p "series_bpp"), "%.3f") " (apparent)"
        if (sys[i] == "strata") other = (has(p "seg_files") ? "segment files " runs(p "seg_files", "%d") "; " : "") "flush on SIGTERM " fmt(med(p "stop_s"), "%.0f") " s"
        if (sys[i] != "strata") other = other "; settled in " fmt(med(p "settle_s"), "%.0f") " s"
        printf "| %s | %s | %s: %s | %s | %s | %s |\n", name[sys[i]], vars[x], main[sys[i]], cell(p "main_bpp", "%.3f"),
            cell(p "dir_bpp", "%.3f"), fmt(med(p "dir_alloc_bpp"), "%.3f"), other
    }
    print ""
    print "### G3: query latency over W, ms: p50 median (each run\x27s p50), p99 median"
    print ""
    print "| Query | System | State | p50 | p99 | answer bytes | other work, cores | notes |"
    print "|---|---|---|---|---|---|---|---|"
    qn["mean1h"] = "hourly mean of host1"; qn["count"] = "count per series (1,000)"; qn["total"] = "count of all points"
    split("mean1h count total", qs, " ")
    split("mem seg write settled nocache", phases, " ")
    ph["mem"] = "right after the write (memtables)"; ph["seg"] = "after restart (segments)"
    ph["write"] = "right after the write"; ph["settled"] = "settled (merged / compacted)"; ph["nocache"] = "settled, `-search.disableCache`, restarted"
    for (q = 1; q <= 3; q++) for (i = 1; i <= 3; i++) for (h = 1; h <= 5; h++) {
        p = sys[i] "|walk|q_" qs[q] "_" phases[h] "_"
        if (!has(p "p50_ms")) continue
        note = has(p "folded") ? "blocks per request from statistics " runs(p "folded", "n") ", decoded and summarised " runs(p "summarised", "n") : ""
        printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", qn[qs[q]], name[sys[i]], ph[phases[h]], cell(p "p50_ms", "%.2f"),
            fmt(med(p "p99_ms"), "%.2f"), fmt(med(p "bytes"), "n"), runs(p "other_cores", "%.2f"), note
    }
    print ""
    print "### Goals (ratios of medians)"
    print ""
    s = med("strata|walk|ingest_pps"); m = med("vm|walk|ingest_pps"); n = med("influx|walk|ingest_pps")
    if (s != "" && m != "") printf "- G1 Strata ≥ 1.5× VictoriaMetrics: %.2f× — %s\n", s / m, verdict(s / m >= 1.5)
    if (s != "" && n != "") printf "- G1 Strata ≥ 2× InfluxDB 1.6: %.2f× — %s\n", s / n, verdict(s / n >= 2)
    for (x = 1; x <= 2; x++) {
        s = med("strata|" vars[x] "|main_bpp"); m = med("vm|" vars[x] "|main_bpp")
        if (s != "" && m != "") printf "- G2 (%s) Strata ≤ 0.8× VictoriaMetrics bytes/point: %.3f vs %.3f = %.2f× — %s\n", vars[x], s, m, s / m, verdict(s / m <= 0.8)
    }
    for (q = 1; q <= 2; q++) {
        s = med("strata|walk|q_" qs[q] "_seg_p50_ms")
        if (s == "") continue
        for (c = 1; c <= 2; c++) {
            ph2 = c == 1 ? "nocache" : "settled"
            m = med("vm|walk|q_" qs[q] "_" ph2 "_p50_ms")
            if (m == "") continue
            printf "- G3 %s (segments) ≤ 0.5× VictoriaMetrics (%s) and ≤ 20 ms: %.2f ms vs %.2f ms = %.2f× — %s\n", qn[qs[q]],
                c == 1 ? "cache off" : "cache on", s, m, s / m, verdict(s / m <= 0.5 && s <= 20)
        }
    }
}' "$RAW"
