using Strata.Core;
using Strata.Storage.Meta;

namespace Strata.Storage.Tests.Engine;

/// <summary>A real engine in a temp directory; reopen it to test recovery. Deletes the directory on dispose.</summary>
public sealed class EngineFixture : IDisposable
{
    public EngineFixture(long memtableBytes = 64L << 20, int compactionTrigger = 4)
    {
        Directory = Path.Combine(Path.GetTempPath(), "strata-engine-tests", Guid.NewGuid().ToString("N"));
        Options = new StorageOptions { DataDirectory = Directory, MemtableBytes = memtableBytes, CompactionTrigger = compactionTrigger };
        Engine = StorageEngine.Open(Options);
    }

    public string Directory { get; }

    public StorageOptions Options { get; }

    public StorageEngine Engine { get; private set; }

    /// <param name="crash">Close without the flush of a clean stop, as after kill -9.</param>
    public void Reopen(bool crash = false)
    {
        if (crash)
        {
            Engine.CloseWithoutFlush();
        }

        Engine.Dispose();
        Engine = StorageEngine.Open(Options);
    }

    /// <summary>
    /// <paramref name="count"/> points one second apart from second <paramref name="from"/> after 1,600,000,000 s
    /// (2020-09-13), each with its own second's number as the value.
    /// </summary>
    public static (long Time, double Value)[] PointsEverySecond(int from, int count)
    {
        const long second = 1_000_000;
        var points = new (long, double)[count];
        for (var i = 0; i < count; i++)
        {
            points[i] = ((1_600_000_000L + from + i) * second, from + i);
        }

        return points;
    }

    public DatabaseInfo Database(string name = "db") => Engine.Meta.FindDatabase(name) ?? Engine.Meta.CreateDatabase(name);

    /// <summary>Writes points (time µs, value) to one float column "v" of a series.</summary>
    public Task WriteAsync(string series, params (long Time, double Value)[] points)
    {
        var batch = new WriteBatch();
        var s = new SeriesPoints(series, ["v"]);
        foreach (var (time, value) in points)
        {
            s.Times.Add(time);
            s.Seqs.Add(SeriesPoints.NoSeq);
            s.ClientSeq.Add(false);
            s.Values.Add(FieldValue.FromDouble(value));
        }

        batch.Series.Add(s);
        return Engine.WriteAsync(Database(), batch, Clock.NowMicros());
    }

    /// <summary>Writes one point with an explicit sequence number (an update of an existing point).</summary>
    public Task WriteWithSeqAsync(string series, string column, long time, long seq, FieldValue value)
    {
        var batch = new WriteBatch();
        var s = new SeriesPoints(series, [column]);
        s.Times.Add(time);
        s.Seqs.Add(seq);
        s.ClientSeq.Add(true);
        s.Values.Add(value);
        batch.Series.Add(s);
        return Engine.WriteAsync(Database(), batch, Clock.NowMicros());
    }

    /// <summary>Reads one column of a series over all time: (time, seq, value) ascending.</summary>
    public List<(long Time, long Seq, FieldValue Value)> Read(string series, string column = "v")
    {
        var result = new List<(long, long, FieldValue)>();
        var db = Database();
        var index = Engine.GetIndex(db.Id);
        if (index is null || !index.TryGet(series, out var entry))
        {
            return result;
        }

        var views = Engine.OpenShards(db.Id, long.MinValue, long.MaxValue);
        try
        {
            foreach (var view in views)
            {
                var data = new ColumnData();
                StorageEngine.ReadColumn(view, entry.Id, column, long.MinValue, long.MaxValue, data);
                for (var i = 0; i < data.Count; i++)
                {
                    result.Add((data.Times[i], data.Seqs[i], data.Values[i]));
                }
            }
        }
        finally
        {
            foreach (var view in views)
            {
                view.Dispose();
            }
        }

        return result;
    }

    public string[] SegmentFiles() =>
        System.IO.Directory.GetFiles(Path.Combine(Directory, "shards"), "*.seg", SearchOption.AllDirectories);

    public string[] WalFiles() => System.IO.Directory.GetFiles(Path.Combine(Directory, "wal"), "*.wal");

    public void Dispose()
    {
        Engine.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
