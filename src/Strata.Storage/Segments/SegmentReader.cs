using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;
using Strata.Core;
using Strata.Storage.IO;
using Strata.Storage.Segments.Codecs;

namespace Strata.Storage.Segments;

/// <summary>
/// Reads one segment file (docs/format/segment.md). Opening verifies header, footer and the index checksum; each
/// block's checksum is verified when it is read, and a mismatch raises <see cref="SegmentCorruptException"/> so no
/// damaged data is ever served. Blocks are read from a read-only memory map of the file (a segment never changes
/// once written), so a block costs no system call and no copy: the page cache is the block cache. Reference-counted
/// so compaction can retire a file while queries still read it; the map goes with the last reference.
/// </summary>
public sealed unsafe partial class SegmentReader : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _bytes;
    private readonly Dictionary<uint, SegmentColumns> _index;
    private readonly ushort _version;
    private int _references = 1;

    private SegmentReader(string path, long number, ushort version, SafeFileHandle handle, Dictionary<uint, SegmentColumns> index, long valueCount, long size, SeqRange seqs)
    {
        Path = path;
        Number = number;
        _version = version;
        Seqs = seqs;
        _index = index;
        ValueCount = valueCount;
        SizeBytes = size;
        _map = MemoryMappedFile.CreateFromFile(handle, mapName: null, size, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        try
        {
            _view = _map.CreateViewAccessor(0, size, MemoryMappedFileAccess.Read);
            byte* start = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
            _bytes = start + _view.PointerOffset;
        }
        catch
        {
            _view?.Dispose();
            _map.Dispose();
            throw;
        }
    }

    public string Path { get; }

    public long Number { get; }

    public long ValueCount { get; }

    public long SizeBytes { get; }

    /// <summary>
    /// The smallest and largest sequence number of the entries (<see cref="SeqRange.All"/> for files older than
    /// version 3, which do not record it).
    /// </summary>
    public SeqRange Seqs { get; }

    public IEnumerable<uint> SeriesIds => _index.Keys;

    /// <summary>Opens and verifies a segment; throws <see cref="SegmentCorruptException"/> when it cannot be trusted.</summary>
    public static SegmentReader Open(string path, long number)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        try
        {
            var size = RandomAccess.GetLength(handle);
            if (size < SegmentFormat.HeaderSize + SegmentFormat.FooterSize)
            {
                throw new SegmentCorruptException(path, "file too short");
            }

            Span<byte> header = stackalloc byte[SegmentFormat.HeaderSize];
            ReadExactly(handle, header, 0, path);
            if (!header[..8].SequenceEqual(SegmentFormat.Magic))
            {
                throw new SegmentCorruptException(path, "bad magic");
            }

            var version = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
            if (version < SegmentFormat.OldestReadableVersion || version > SegmentFormat.Version)
            {
                throw new SegmentCorruptException(path, $"unsupported version {version}");
            }

            Span<byte> footer = stackalloc byte[SegmentFormat.FooterSize];
            ReadExactly(handle, footer, size - SegmentFormat.FooterSize, path);
            if (!footer[32..].SequenceEqual(SegmentFormat.Magic) || Crc32CHash.Compute(footer[..28]) != BinaryPrimitives.ReadUInt32LittleEndian(footer[28..]))
            {
                throw new SegmentCorruptException(path, "cannot read footer: checksum mismatch");
            }

            var indexOffset = BinaryPrimitives.ReadInt64LittleEndian(footer);
            var indexLength = BinaryPrimitives.ReadInt32LittleEndian(footer[8..]);
            var indexCrc = BinaryPrimitives.ReadUInt32LittleEndian(footer[12..]);
            var valueCount = BinaryPrimitives.ReadInt64LittleEndian(footer[16..]);
            if (indexOffset < SegmentFormat.HeaderSize || indexLength < 0 || indexOffset + indexLength != size - SegmentFormat.FooterSize)
            {
                throw new SegmentCorruptException(path, "cannot read footer: index bounds out of range");
            }

            var indexBytes = new byte[indexLength];
            ReadExactly(handle, indexBytes, indexOffset, path);
            if (Crc32CHash.Compute(indexBytes) != indexCrc)
            {
                throw new SegmentCorruptException(path, "cannot read index: checksum mismatch");
            }

            Dictionary<uint, SegmentColumns> index;
            SeqRange seqs;
            try
            {
                index = ParseIndex(indexBytes, indexOffset, version, out seqs);
            }
            catch (InvalidDataException e)
            {
                throw new SegmentCorruptException(path, "cannot read index: " + e.Message);
            }

            return new SegmentReader(path, number, version, handle, index, valueCount, size, seqs);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static Dictionary<uint, SegmentColumns> ParseIndex(ReadOnlySpan<byte> bytes, long dataEnd, ushort version, out SeqRange seqs)
    {
        var cursor = new BinaryReadCursor(bytes);
        seqs = SeqRange.All;
        if (version >= SegmentFormat.SeqRangeVersion)
        {
            seqs = new SeqRange { Min = cursor.VarI64(), Max = cursor.VarI64() };
            if (seqs.Min > seqs.Max)
            {
                BinaryReadCursor.ThrowCorrupt($"sequence numbers from {seqs.Min} to {seqs.Max}");
            }
        }

        var relative = version >= SegmentFormat.RelativeIndexVersion;
        long previousEnd = SegmentFormat.HeaderSize, previousMinTime = 0;
        var seriesCount = cursor.Count(int.MaxValue);
        var index = new Dictionary<uint, SegmentColumns>(seriesCount);
        var names = new HashSet<string>(StringComparer.Ordinal); // one string per column name, not one per series
        for (var s = 0; s < seriesCount; s++)
        {
            var seriesId = (uint)cursor.VarU64();
            var columnCount = cursor.Count(1 << 20);
            var columns = new KeyValuePair<string, BlockMeta[]>[columnCount];
            for (var c = 0; c < columnCount; c++)
            {
                var name = cursor.String();
                if (!names.TryGetValue(name, out var shared))
                {
                    names.Add(name);
                    shared = name;
                }

                var blockCount = cursor.Count(int.MaxValue);
                var blocks = new BlockMeta[blockCount];
                for (var b = 0; b < blockCount; b++)
                {
                    // Version 3 stores the offset after the previous block's end, the min time after the previous
                    // block's and the max time after the min time; older versions store all three as they are.
                    var offset = relative ? unchecked(previousEnd + cursor.VarI64()) : (long)cursor.VarU64();
                    var length = cursor.Count(int.MaxValue);
                    var typeByte = cursor.U8();
                    var type = (FieldType)(typeByte & ~(SegmentFormat.DoubleStatsTypeFlag | SegmentFormat.SumLowTypeFlag));
                    var compactStats = version >= SegmentFormat.CompactIntegerStatsVersion && typeByte == (byte)FieldType.Int64;
                    var doubleStatsFlag = (typeByte & SegmentFormat.DoubleStatsTypeFlag) != 0;
                    var sumLowFlag = (typeByte & SegmentFormat.SumLowTypeFlag) != 0;
                    if ((doubleStatsFlag && !(version >= SegmentFormat.CompactIntegerStatsVersion && type == FieldType.Int64))
                        || (sumLowFlag && !(version >= SegmentFormat.ExactSumVersion && (type == FieldType.Double || doubleStatsFlag))))
                    {
                        BinaryReadCursor.ThrowCorrupt($"unknown block type {typeByte}");
                    }

                    var count = cursor.Count(SegmentFormat.MaxBlockValues);
                    var minTime = relative ? unchecked(previousMinTime + cursor.VarI64()) : cursor.VarI64();
                    long maxTime;
                    if (relative)
                    {
                        var span = cursor.VarU64();
                        maxTime = unchecked(minTime + (long)span);
                        if (maxTime < minTime)
                        {
                            BinaryReadCursor.ThrowCorrupt($"block at {offset}: time span past the int64 range");
                        }
                    }
                    else
                    {
                        maxTime = cursor.VarI64();
                    }

                    // Before version 6 the sum was added in order, rounding at each step: not known exactly.
                    double min = 0, max = 0, sum = 0, sumLow = version >= SegmentFormat.ExactSumVersion ? 0 : double.NaN;
                    if (compactStats)
                    {
                        var low = cursor.VarI64();
                        var range = cursor.VarU64();
                        var total = cursor.VarI64();
                        const long exact = SegmentFormat.ExactIntegerLimit;
                        if (low is < -exact or > exact || range > 1UL << 54 || low + (long)range > exact || total is < -exact or > exact)
                        {
                            BinaryReadCursor.ThrowCorrupt($"block at {offset}: integer statistics out of range");
                        }

                        (min, max, sum) = (low, low + (long)range, total);
                    }
                    else if (type is FieldType.Int64 or FieldType.Double)
                    {
                        min = cursor.F64();
                        max = cursor.F64();
                        sum = cursor.F64();
                        if (sumLowFlag)
                        {
                            sumLow = cursor.F64();
                        }
                    }
                    else if (type > FieldType.String)
                    {
                        BinaryReadCursor.ThrowCorrupt($"unknown block type {(byte)type}");
                    }

                    if (offset < SegmentFormat.HeaderSize || offset > dataEnd - length || length < MinBlockHeaderSizeOf(version) + SegmentFormat.BlockTrailerSize)
                    {
                        BinaryReadCursor.ThrowCorrupt($"block at {offset} out of range");
                    }

                    blocks[b] = new BlockMeta(offset, length, type, count, minTime, maxTime, min, max, sum, sumLow);
                    previousEnd = offset + length;
                    previousMinTime = minTime;
                }

                columns[c] = new(shared, blocks);
            }

            index[seriesId] = new SegmentColumns(columns);
        }

        return index;
    }

    /// <summary>The blocks of one column, in key order; empty when the segment does not hold it.</summary>
    public ReadOnlySpan<BlockMeta> GetBlocks(uint seriesId, string column) =>
        _index.TryGetValue(seriesId, out var columns) && columns.TryGet(column, out var blocks) ? blocks : [];

    /// <summary>The column names this segment holds for a series.</summary>
    public IEnumerable<string> GetColumns(uint seriesId) =>
        _index.TryGetValue(seriesId, out var columns) ? columns.Names : [];

    /// <summary>Decodes the entries of one column with minTime ≤ time ≤ maxTime (markers included) into <paramref name="output"/>.</summary>
    public void ReadColumn(uint seriesId, string column, long minTime, long maxTime, ColumnData output)
    {
        var blocks = GetBlocks(seriesId, column);
        if (blocks.IsEmpty)
        {
            return;
        }

        var needed = output.Count;
        foreach (var block in blocks)
        {
            needed += block.MaxTime < minTime || block.MinTime > maxTime ? 0 : block.Count;
        }

        output.EnsureCapacity(needed);
        var scratch = DecodeScratch.Rent();
        try
        {
            foreach (var block in blocks)
            {
                if (block.MaxTime < minTime || block.MinTime > maxTime)
                {
                    continue;
                }

                AppendBlock(block, minTime, maxTime, scratch, output);
            }
        }
        finally
        {
            DecodeScratch.Return(scratch);
        }
    }

    /// <summary>Decodes the entries of one block with minTime ≤ time ≤ maxTime into <paramref name="output"/>.</summary>
    public void ReadBlock(BlockMeta block, long minTime, long maxTime, ColumnData output)
    {
        var scratch = DecodeScratch.Rent();
        try
        {
            AppendBlock(block, minTime, maxTime, scratch, output);
        }
        finally
        {
            DecodeScratch.Return(scratch);
        }
    }

    private void AppendBlock(BlockMeta block, long minTime, long maxTime, DecodeScratch scratch, ColumnData output)
    {
        output.EnsureCapacity(output.Count + block.Count);
        var count = DecodeBlock(block, scratch);
        for (var i = 0; i < count; i++)
        {
            var t = scratch.Times[i];
            if (t >= minTime && t <= maxTime)
            {
                output.Add(t, scratch.Seqs[i], scratch.Values[i]);
            }
        }
    }

    /// <summary>
    /// Decodes the times and numeric values of an <see cref="FieldType.Int64"/> or <see cref="FieldType.Double"/>
    /// block into <see cref="DecodeScratch.Times"/> and <see cref="DecodeScratch.Ints"/> or
    /// <see cref="DecodeScratch.Doubles"/> (by the block's type), without sequence numbers or <see cref="FieldValue"/>s:
    /// the columnar path of aggregates. Returns the value count.
    /// </summary>
    internal int DecodeNumeric(BlockMeta block, DecodeScratch scratch)
    {
        if (!block.HasStats)
        {
            throw new InvalidOperationException("BUG: DecodeNumeric on a " + block.Type + " block");
        }

        return DecodeBlock(block, scratch, raw: true);
    }

    /// <summary>
    /// Reads, verifies and decodes one block into <paramref name="scratch"/>; returns its value count. With
    /// <paramref name="raw"/> numeric values stay in <see cref="DecodeScratch.Ints"/>/<see cref="DecodeScratch.Doubles"/>
    /// and sequence numbers are not decoded.
    /// </summary>
    internal int DecodeBlock(BlockMeta block, DecodeScratch scratch, bool raw = false)
    {
        // In bounds: the index was checked against the data area when the file was opened.
        var body = VerifiedBody(block.Offset, block.Length);
        var header = ReadHeader(body, block.Offset);
        if (header.Type != block.Type || header.Count != block.Count)
        {
            throw new SegmentCorruptException(Path, $"block at offset {block.Offset}: header does not match the index");
        }

        var type = header.Type;
        var count = header.Count;
        var timesLength = header.TimesLength;
        var seqsLength = header.SeqsLength;
        var valuesLength = header.ValuesLength;
        var p = header.Size;
        try
        {
            if (header.SharedKeys)
            {
                DecodeSharedKeys(body.Slice(p, timesLength), block.Offset, count, scratch, raw);
            }
            else
            {
                TimestampCodec.Decode(body.Slice(p, timesLength), scratch.Times.AsSpan(0, count));
                if (!raw)
                {
                    TimestampCodec.Decode(body.Slice(p + timesLength, seqsLength), scratch.Seqs.AsSpan(0, count));
                }
            }

            p += timesLength + seqsLength;
            var encoded = body.Slice(p, valuesLength);
            var values = scratch.Values;
            switch (type)
            {
                case FieldType.Null:
                    Array.Fill(values, FieldValue.Null, 0, count);
                    break;
                case FieldType.Bool:
                    BooleanCodec.Decode(encoded, scratch.Bools.AsSpan(0, count));
                    for (var i = 0; i < count; i++)
                    {
                        values[i] = FieldValue.FromBool(scratch.Bools[i]);
                    }

                    break;
                case FieldType.Int64:
                    IntegerCodec.Decode(encoded, scratch.Ints.AsSpan(0, count));
                    for (var i = 0; !raw && i < count; i++)
                    {
                        values[i] = FieldValue.FromInt64(scratch.Ints[i]);
                    }

                    break;
                case FieldType.Double:
                    FloatCodec.Decode(encoded, scratch.Doubles.AsSpan(0, count));
                    for (var i = 0; !raw && i < count; i++)
                    {
                        values[i] = FieldValue.FromDouble(scratch.Doubles[i]);
                    }

                    break;
                case FieldType.String:
                    StringCodec.Decode(encoded, scratch.Strings.AsSpan(0, count));
                    for (var i = 0; i < count; i++)
                    {
                        values[i] = FieldValue.FromString(scratch.Strings[i]);
                    }

                    Array.Clear(scratch.Strings, 0, count);
                    break;
                default:
                    throw new SegmentCorruptException(Path, $"block at offset {block.Offset}: unknown type {(byte)type}");
            }
        }
        catch (InvalidDataException e)
        {
            throw new SegmentCorruptException(Path, $"block at offset {block.Offset}: {e.Message}");
        }

        return count;
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> buffer, long offset, string path)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer[total..], offset + total);
            if (n <= 0)
            {
                throw new SegmentCorruptException(path, $"unexpected end of file at offset {offset + total}");
            }

            total += n;
        }
    }

    public bool TryAddReference()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Drops one reference; the map and the file handle close with the last one.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _map.Dispose(); // and the file handle with it
        }
    }

    public void Dispose() => Release();
}

/// <summary>Per-decode scratch arrays, pooled so that scans allocate nothing per block.</summary>
internal sealed class DecodeScratch
{
    [ThreadStatic]
    private static DecodeScratch? t_cached;

    public readonly long[] Times = new long[SegmentFormat.MaxBlockValues];
    public readonly long[] Seqs = new long[SegmentFormat.MaxBlockValues];
    public readonly long[] Ints = new long[SegmentFormat.MaxBlockValues];
    public readonly double[] Doubles = new double[SegmentFormat.MaxBlockValues];
    public readonly bool[] Bools = new bool[SegmentFormat.MaxBlockValues];
    public readonly string[] Strings = new string[SegmentFormat.MaxBlockValues];
    public readonly FieldValue[] Values = new FieldValue[SegmentFormat.MaxBlockValues];

    public static DecodeScratch Rent()
    {
        var s = t_cached ?? new DecodeScratch();
        t_cached = null;
        return s;
    }

    public static void Return(DecodeScratch scratch) => t_cached = scratch;
}

/// <summary>A segment file that cannot be trusted; its data is never served.</summary>
public sealed class SegmentCorruptException(string path, string problem)
    : StrataException(500, $"cannot read segment {System.IO.Path.GetFileName(path)}: {problem}")
{
    public string FilePath { get; } = path;
}
