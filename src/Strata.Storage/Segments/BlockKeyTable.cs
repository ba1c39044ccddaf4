using System.Buffers;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Strata.Storage.Segments;

/// <summary>
/// The keys (times and sequence-number steps) of blocks a <see cref="SegmentWriter"/> wrote recently, so that a
/// block whose keys repeat an earlier block's can refer to them instead of storing them again
/// (docs/format/segment.md, "Shared keys"). Keys repeat whenever points were written together: every column of a
/// series, and every series a collector sends in one request, has the same times, and sequence numbers that differ
/// by one constant. A small set-associative table of the newest keys, so memory stays bounded (at most
/// <see cref="Sets"/> × <see cref="Ways"/> blocks' keys, pooled) whatever the segment holds.
/// </summary>
/// <remarks>
/// Each hash has <see cref="Ways"/> places and a new key set replaces the least recently used of them, so key sets
/// that take turns (each series' full block and its shorter last block, W's two patterns) never push each other
/// out. A direct-mapped table lost every reference when two such patterns hashed to the same slot (1 in 64 a
/// segment): one run of W then stored its keys 2,000 times over and took 1.119 bytes a point instead of 1.024.
/// </remarks>
internal sealed class BlockKeyTable : IDisposable
{
    private const int Sets = 16;
    private const int Ways = 4;
    private readonly Entry[] _entries = new Entry[Sets * Ways];
    private long _clock;

    private struct Entry
    {
        public ulong Hash;
        public long Offset;
        public int Count;
        public long FirstSeq;
        public long LastUsed;
        public long[]? Times;
        public long[]? Steps; // seqs[i] - seqs[0], wrapping
    }

    /// <summary>A hash of the times and of the sequence numbers' offsets from the first (not of their level).</summary>
    public static ulong Hash(ReadOnlySpan<long> times, ReadOnlySpan<long> seqs)
    {
        var hash = new XxHash3();
        hash.Append(MemoryMarshal.AsBytes(times));
        Span<long> steps = stackalloc long[256];
        var first = seqs[0];
        for (var start = 0; start < seqs.Length; start += steps.Length)
        {
            var chunk = seqs.Slice(start, Math.Min(steps.Length, seqs.Length - start));
            for (var i = 0; i < chunk.Length; i++)
            {
                steps[i] = unchecked(chunk[i] - first);
            }

            hash.Append(MemoryMarshal.AsBytes(steps[..chunk.Length]));
        }

        return hash.GetCurrentHashAsUInt64();
    }

    /// <summary>
    /// Finds an earlier block with exactly these times and sequence-number steps; <paramref name="seqShift"/> is what
    /// to add (wrapping) to that block's sequence numbers to get these.
    /// </summary>
    public bool TryFind(ulong hash, ReadOnlySpan<long> times, ReadOnlySpan<long> seqs, out long offset, out long seqShift)
    {
        foreach (ref var entry in Set(hash))
        {
            if (entry.Times is not null && entry.Hash == hash && Matches(ref entry, times, seqs))
            {
                entry.LastUsed = ++_clock;
                offset = entry.Offset;
                seqShift = unchecked(seqs[0] - entry.FirstSeq);
                return true;
            }
        }

        offset = 0;
        seqShift = 0;
        return false;
    }

    private static bool Matches(ref Entry entry, ReadOnlySpan<long> times, ReadOnlySpan<long> seqs)
    {
        if (entry.Count != times.Length || !times.SequenceEqual(entry.Times.AsSpan(0, entry.Count)))
        {
            return false;
        }

        var steps = entry.Steps!;
        var first = seqs[0];
        for (var i = 0; i < seqs.Length; i++)
        {
            if (unchecked(seqs[i] - first) != steps[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Remembers the keys of the block just written at <paramref name="offset"/>, replacing whatever shared its slot.</summary>
    public void Remember(ulong hash, ReadOnlySpan<long> times, ReadOnlySpan<long> seqs, long offset)
    {
        ref var entry = ref Victim(hash);
        if (entry.Times is null || entry.Times.Length < times.Length)
        {
            Return(ref entry);
            entry.Times = ArrayPool<long>.Shared.Rent(times.Length);
            entry.Steps = ArrayPool<long>.Shared.Rent(times.Length);
        }

        times.CopyTo(entry.Times);
        var first = seqs[0];
        for (var i = 0; i < seqs.Length; i++)
        {
            entry.Steps![i] = unchecked(seqs[i] - first);
        }

        entry.Hash = hash;
        entry.Offset = offset;
        entry.Count = times.Length;
        entry.FirstSeq = first;
        entry.LastUsed = ++_clock;
    }

    private Span<Entry> Set(ulong hash) => _entries.AsSpan((int)(hash % Sets) * Ways, Ways);

    /// <summary>Where to keep a new key set: an empty way of its set, else the least recently used one.</summary>
    private ref Entry Victim(ulong hash)
    {
        var set = Set(hash);
        var victim = 0;
        for (var i = 1; i < set.Length && set[victim].Times is not null; i++)
        {
            if (set[i].Times is null || set[i].LastUsed < set[victim].LastUsed)
            {
                victim = i;
            }
        }

        return ref set[victim];
    }

    public void Dispose()
    {
        for (var i = 0; i < _entries.Length; i++)
        {
            Return(ref _entries[i]);
        }
    }

    private static void Return(ref Entry entry)
    {
        if (entry.Times is not null)
        {
            ArrayPool<long>.Shared.Return(entry.Times);
            ArrayPool<long>.Shared.Return(entry.Steps!);
        }

        entry = default;
    }
}
