using System.Globalization;
using System.Text;

namespace Strata.Server.Http.Endpoints;

/// <summary>
/// <c>GET /metrics</c>: engine counters in the Prometheus text format (Strata only; 0.8 had no such route).
/// Unauthenticated like <c>/ping</c>: it exposes counts, never data or names.
/// </summary>
public static class MetricsEndpoints
{
    public static void Map(Router router) => router.Get("/metrics", c =>
    {
        var engine = c.Services.Engine;
        var m = engine.Metrics;
        var text = new StringBuilder();
        Counter(text, "strata_points_written_total", "Points accepted by writes.", Interlocked.Read(ref m.PointsWritten));
        Counter(text, "strata_write_requests_total", "Write requests accepted.", Interlocked.Read(ref m.WriteRequests));
        Counter(text, "strata_wal_fsyncs_total", "fsyncs of the write-ahead log (one per commit group).", engine.WalSyncCount);
        Counter(text, "strata_flushes_total", "Memtable flushes.", Interlocked.Read(ref m.Flushes));
        Counter(text, "strata_compactions_total", "Segment compactions.", Interlocked.Read(ref m.Compactions));
        Counter(text, "strata_write_stalls_total", "Writes that waited for a flush because the memtables held twice their budget.", Interlocked.Read(ref m.WriteStalls));
        Seconds(text, "strata_write_lock_wait_seconds_total", "Time writes spent waiting for the engine's write lock.", Interlocked.Read(ref m.WriteLockWaitTicks));
        Seconds(text, "strata_write_lock_held_seconds_total", "Time writes held the engine's write lock (numbering, WAL record, memtables).", Interlocked.Read(ref m.WriteLockHeldTicks));
        Counter(text, "strata_query_blocks_folded_total", "Segment blocks aggregates answered from block statistics, without decoding.", Interlocked.Read(ref m.BlocksFolded));
        Counter(text, "strata_query_blocks_summarised_total", "Segment blocks aggregates decoded and summarised whole, without building rows.", Interlocked.Read(ref m.BlocksSummarised));
        Counter(text, "strata_query_last_points_served_total", "select * … limit 1 rows answered from the last-point cache.", Interlocked.Read(ref m.LastPointsServed));
        Gauge(text, "strata_memtable_bytes", "Approximate bytes held by active memtables.", engine.MemtableBytes());
        Runtime(text);
        return c.TextAsync(200, text.ToString(), "text/plain; version=0.0.4");
    });

    /// <summary>
    /// The process, its garbage collector, thread pool and lock waits: what an operator checks when latency has tails,
    /// memory grows or the cores are not both busy.
    /// </summary>
    private static void Runtime(StringBuilder text)
    {
        Gauge(text, "process_resident_memory_bytes", "Resident set size of the server process.", Environment.WorkingSet);
        Gauge(text, "dotnet_gc_heap_bytes", "Bytes of the managed heap in use after the last collection.", GC.GetGCMemoryInfo().HeapSizeBytes);
        Counter(text, "dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap.", GC.GetTotalAllocatedBytes());
        text.Append("# HELP dotnet_gc_collections_total Garbage collections, by the oldest generation collected.\n")
            .Append("# TYPE dotnet_gc_collections_total counter\n");
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            // CollectionCount(g) also counts the collections of older generations (they collect g too).
            var count = GC.CollectionCount(generation) - (generation < GC.MaxGeneration ? GC.CollectionCount(generation + 1) : 0);
            text.Append("dotnet_gc_collections_total{generation=\"").Append(generation.ToString(CultureInfo.InvariantCulture))
                .Append("\"} ").Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        Counter(text, "dotnet_monitor_lock_contentions_total", "Times a thread found a lock taken and had to wait for it.", Monitor.LockContentionCount);
        Gauge(text, "dotnet_threadpool_threads", "Threads of the thread pool that runs requests.", ThreadPool.ThreadCount);
        Gauge(text, "dotnet_threadpool_queue_length", "Work items queued to the thread pool and not yet started.", ThreadPool.PendingWorkItemCount);
        Counter(text, "dotnet_threadpool_completed_items_total", "Work items the thread pool has run.", ThreadPool.CompletedWorkItemCount);
        Seconds(text, "dotnet_gc_pause_seconds_total", "Time the runtime paused threads for garbage collection.", GC.GetTotalPauseDuration().TotalSeconds);
    }

    /// <summary>A counter of seconds from <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    private static void Seconds(StringBuilder text, string name, string help, long ticks) =>
        Seconds(text, name, help, (double)ticks / System.Diagnostics.Stopwatch.Frequency);

    private static void Seconds(StringBuilder text, string name, string help, double seconds) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(" counter\n")
            .Append(name).Append(' ').Append(seconds.ToString("0.000###", CultureInfo.InvariantCulture)).Append('\n');

    private static void Counter(StringBuilder text, string name, string help, long value) => Metric(text, name, help, "counter", value);

    private static void Gauge(StringBuilder text, string name, string help, long value) => Metric(text, name, help, "gauge", value);

    private static void Metric(StringBuilder text, string name, string help, string type, long value) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n')
            .Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
