using System.Collections.Immutable;
using Strata.Storage.Segments;

namespace Strata.Storage.Shards;

/// <summary>
/// One time bucket of one shard space of one database: a directory of segment files plus the memtable that holds
/// what has not been flushed yet. Readers take a <see cref="ShardView"/>; flush and compaction swap state under
/// <see cref="_lock"/>.
/// </summary>
public sealed class Shard
{
    private readonly Lock _lock = new();
    private Memtable.Memtable _active = new();
    private Memtable.Memtable? _flushing;
    private long _flushingNumber;
    private ImmutableArray<SegmentReader> _segments = [];
    private ImmutableArray<Tombstone> _tombstones = [];
    private bool _closed;

    public Shard(long id, uint databaseId, string space, long startMicros, long endMicros, string directory)
    {
        Id = id;
        DatabaseId = databaseId;
        Space = space;
        StartMicros = startMicros;
        EndMicros = endMicros;
        Directory = directory;
    }

    public long Id { get; }

    public uint DatabaseId { get; }

    public string Space { get; }

    /// <summary>Inclusive start of the bucket, µs since the epoch.</summary>
    public long StartMicros { get; }

    /// <summary>Exclusive end of the bucket.</summary>
    public long EndMicros { get; }

    public string Directory { get; }

    /// <summary>True once the shard was dropped or the engine closed.</summary>
    public bool IsClosed
    {
        get
        {
            lock (_lock)
            {
                return _closed;
            }
        }
    }

    /// <summary>The memtable taking writes. Only the engine's writer (under its write lock) appends to it.</summary>
    public Memtable.Memtable Active
    {
        get
        {
            lock (_lock)
            {
                return _active;
            }
        }
    }

    public ImmutableArray<SegmentReader> Segments
    {
        get
        {
            lock (_lock)
            {
                return _segments;
            }
        }
    }

    /// <summary>Tombstones that still mask segment data.</summary>
    public ImmutableArray<Tombstone> Tombstones
    {
        get
        {
            lock (_lock)
            {
                return _tombstones;
            }
        }
    }

    /// <summary>
    /// Deletes a series' entries in [start, end]: cut from the memtables now, masked in today's segments by a
    /// tombstone (when there are segments).
    /// </summary>
    public void DeleteRange(uint seriesId, long startMicros, long endMicros)
    {
        lock (_lock)
        {
            _active.RemoveRange(seriesId, startMicros, endMicros);
            _flushing?.RemoveRange(seriesId, startMicros, endMicros);
            if (_segments.Length > 0 || _flushing is not null)
            {
                // The segment being written from the frozen memtable may already hold the range: cover it too.
                var through = _flushing is not null ? _flushingNumber : _segments[^1].Number;
                _tombstones = _tombstones.Add(new Tombstone(seriesId, startMicros, endMicros, through));
            }
        }
    }

    /// <summary>Restores tombstones from the checkpoint.</summary>
    public void LoadTombstones(IEnumerable<Tombstone> tombstones)
    {
        lock (_lock)
        {
            _tombstones = _tombstones.AddRange(tombstones);
        }
    }

    /// <summary>True when a query range [start, end] needs this shard: 0.8 picks a shard when s &lt; end and e &gt; start.</summary>
    public bool Overlaps(long startMicros, long endMicros) => StartMicros < endMicros && EndMicros > startMicros;

    /// <summary>
    /// Freezes the active memtable for flushing and starts a fresh one. Returns null when there is nothing to flush;
    /// otherwise the memtable with a reference the caller releases once done with it.
    /// </summary>
    /// <param name="segmentNumber">The number the segment written from the frozen memtable will get.</param>
    public Memtable.Memtable? Freeze(long segmentNumber)
    {
        lock (_lock)
        {
            if (_flushing is not null)
            {
                throw new InvalidOperationException("BUG: shard frozen twice");
            }

            if (_active.IsEmpty)
            {
                return null;
            }

            _flushing = _active;
            _flushingNumber = segmentNumber;
            _active = new Memtable.Memtable();

            // The flusher's own reference: a drop of the shard must not free what it is still writing out.
            _flushing.TryAddReference();
            return _flushing;
        }
    }

    /// <summary>Installs the segment written from the frozen memtable and forgets the memtable.</summary>
    public void CompleteFlush(SegmentReader? segment)
    {
        lock (_lock)
        {
            if (_closed)
            {
                // Dropped while its memtable was written out: nothing serves the segment, and its directory goes.
                segment?.Release();
                return;
            }

            if (segment is not null)
            {
                _segments = _segments.Add(segment);
            }

            _flushing?.Release();
            _flushing = null;
        }
    }

    /// <summary>Adds segments loaded at start-up, oldest first.</summary>
    public void LoadSegments(IEnumerable<SegmentReader> segments)
    {
        lock (_lock)
        {
            _segments = _segments.AddRange(segments);
        }
    }

    /// <summary>
    /// Replaces the oldest <paramref name="inputs"/>.Length segments with their compacted result. Tombstones the
    /// compaction applied (<paramref name="applied"/>) are dropped; newer ones are kept and extended to the output.
    /// False when the shard was closed meanwhile (nothing changes).
    /// </summary>
    public bool ReplaceCompacted(ImmutableArray<SegmentReader> inputs, SegmentReader output, ImmutableArray<Tombstone> applied)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            for (var i = 0; i < inputs.Length; i++)
            {
                if (!ReferenceEquals(_segments[i], inputs[i]))
                {
                    throw new InvalidOperationException("BUG: compaction inputs are not the oldest segments");
                }
            }

            _segments = _segments.RemoveRange(0, inputs.Length).Insert(0, output);
            var kept = ImmutableArray.CreateBuilder<Tombstone>();
            foreach (var t in _tombstones)
            {
                if (!applied.Contains(t))
                {
                    kept.Add(t.SegmentsThrough >= inputs[^1].Number ? t with { SegmentsThrough = Math.Max(t.SegmentsThrough, output.Number) } : t);
                }
            }

            _tombstones = kept.ToImmutable();
            return true;
        }
    }

    /// <summary>
    /// A consistent set of sources for a read, oldest first: segments, the memtable being flushed, the active one.
    /// Each segment is referenced until the view is disposed.
    /// </summary>
    public ShardView OpenView(Func<uint, bool>? serves = null)
    {
        lock (_lock)
        {
            var segments = ImmutableArray.CreateBuilder<SegmentReader>(_segments.Length);
            foreach (var s in _segments)
            {
                if (s.TryAddReference())
                {
                    segments.Add(s);
                }
            }

            var flushing = _flushing is { } f && f.TryAddReference() ? f : null;
            var active = _active.TryAddReference() ? _active : null;
            return new ShardView(this, segments.ToImmutable(), flushing, active, _tombstones) { Serves = serves };
        }
    }

    public void RemoveSeriesFromMemtables(uint seriesId)
    {
        lock (_lock)
        {
            _active.RemoveSeries(seriesId);
            _flushing?.RemoveSeries(seriesId);
        }
    }

    /// <summary>
    /// Closes every segment and releases the memtables (the shard is being dropped or the engine stops): reads that
    /// still hold a view keep what they reference until they dispose it.
    /// </summary>
    public void Close()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            foreach (var s in _segments)
            {
                s.Release();
            }

            _segments = [];
            _active.Release();

            // A flush still writing this memtable out holds its own reference; its CompleteFlush then finds nothing to release.
            _flushing?.Release();
            _flushing = null;
        }
    }
}

/// <summary>What one read sees of a shard. Dispose to release the segments and memtables it holds.</summary>
public sealed class ShardView(Shard shard, ImmutableArray<SegmentReader> segments, Memtable.Memtable? flushing, Memtable.Memtable? active, ImmutableArray<Tombstone> tombstones) : IDisposable
{
    public ImmutableArray<Tombstone> Tombstones { get; } = tombstones;

    /// <summary>
    /// Whether this shard holds a series' data as far as queries are concerned: only the shards of the series'
    /// current shard space are read (reference §8.6). Null means every series.
    /// </summary>
    public Func<uint, bool>? Serves { get; init; }

    public Shard Shard { get; } = shard;

    public ImmutableArray<SegmentReader> Segments { get; } = segments;

    public Memtable.Memtable? Flushing { get; } = flushing;

    /// <summary>The memtable taking writes; null only in a view of a shard closed (dropped) meanwhile.</summary>
    public Memtable.Memtable? Active { get; } = active;

    public void Dispose()
    {
        foreach (var s in Segments)
        {
            s.Release();
        }

        Flushing?.Release();
        Active?.Release();
    }
}
