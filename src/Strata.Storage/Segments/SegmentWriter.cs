using System.Buffers;
using System.Buffers.Binary;
using Strata.Core;
using Strata.Storage.IO;
using Strata.Storage.Segments.Codecs;

namespace Strata.Storage.Segments;

/// <summary>
/// Writes one immutable segment file (docs/format/segment.md): columns must be added in (series id, column name)
/// order, each column's entries ascending by (time, seq). The file is written to a temp name, fsynced and renamed.
/// </summary>
public sealed class SegmentWriter : IDisposable
{
    private readonly string _path;
    private readonly string _tmpPath;
    private readonly FileStream _stream;
    private readonly ArrayBufferWriter<byte> _block = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _index = new(64 * 1024);
    private readonly List<(uint SeriesId, List<(string Column, List<BlockMeta> Blocks)> Columns)> _entries = [];
    private readonly long[] _timeScratch = new long[SegmentFormat.MaxBlockValues];
    private readonly long[] _seqScratch = new long[SegmentFormat.MaxBlockValues];
    private readonly long[] _intScratch = new long[SegmentFormat.MaxBlockValues];
    private readonly double[] _doubleScratch = new double[SegmentFormat.MaxBlockValues];
    private readonly bool[] _boolScratch = new bool[SegmentFormat.MaxBlockValues];
    private readonly string[] _stringScratch = new string[SegmentFormat.MaxBlockValues];
    private readonly BlockKeyTable _keys = new();
    private long _position;
    private long _valueCount;
    private SeqRange _seqs = SeqRange.Empty;
    private bool _finished;

    public SegmentWriter(string path)
    {
        _path = path;
        _tmpPath = path + ".tmp";
        _stream = new FileStream(_tmpPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Span<byte> header = stackalloc byte[SegmentFormat.HeaderSize];
        header.Clear();
        SegmentFormat.Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], SegmentFormat.Version);
        _stream.Write(header);
        _position = SegmentFormat.HeaderSize;
    }

    public long ValueCount => _valueCount;

    /// <summary>Adds one column of one series. Entries must be sorted and unique; markers (null) are stored too.</summary>
    public void AddColumn(uint seriesId, string column, ColumnData data)
    {
        if (data.Count == 0)
        {
            return;
        }

        if (_entries.Count == 0 || _entries[^1].SeriesId != seriesId)
        {
            if (_entries.Count > 0 && _entries[^1].SeriesId > seriesId)
            {
                throw new InvalidOperationException("BUG: series added out of order");
            }

            _entries.Add((seriesId, []));
        }

        var blocks = new List<BlockMeta>();
        _entries[^1].Columns.Add((column, blocks));
        var times = data.Times;
        var seqs = data.Seqs;
        _seqs.Add(seqs);
        var values = data.Values;
        var start = 0;
        while (start < data.Count)
        {
            // A block is a run of one type, at most MaxBlockValues long.
            var type = values[start].Type;
            var end = start + 1;
            while (end < data.Count && end - start < SegmentFormat.MaxBlockValues && values[end].Type == type)
            {
                end++;
            }

            blocks.Add(WriteBlock(type, times[start..end], seqs[start..end], values[start..end]));
            start = end;
        }
    }

    private BlockMeta WriteBlock(FieldType type, ReadOnlySpan<long> times, ReadOnlySpan<long> seqs, ReadOnlySpan<FieldValue> values)
    {
        var count = times.Length;
        // Room for the largest header: its varints are known once the sections are encoded, and it goes right before them.
        const int Room = SegmentFormat.MaxVarintBlockHeaderSize;
        _block.ResetWrittenCount();
        _block.GetSpan(Room);
        _block.Advance(Room);
        var keyHash = BlockKeyTable.Hash(times, seqs);
        var shared = _keys.TryFind(keyHash, times, seqs, out var source, out var seqShift);
        if (shared)
        {
            BinaryWrite.VarU64(_block, (ulong)source);
            BinaryWrite.VarI64(_block, seqShift);
        }
        else
        {
            TimestampCodec.Encode(times, _block);
        }

        var timesLength = _block.WrittenCount - Room;
        if (!shared)
        {
            TimestampCodec.Encode(seqs, _block);
        }

        var seqsLength = _block.WrittenCount - Room - timesLength;
        double min = 0, max = 0;
        var sum = default(ExactSum);
        switch (type)
        {
            case FieldType.Bool:
                for (var i = 0; i < count; i++)
                {
                    _boolScratch[i] = values[i].AsBool;
                }

                BooleanCodec.Encode(_boolScratch.AsSpan(0, count), _block);
                break;
            case FieldType.Int64:
                min = double.MaxValue;
                max = double.MinValue;
                for (var i = 0; i < count; i++)
                {
                    var v = values[i].AsInt64;
                    _intScratch[i] = v;
                    _doubleScratch[i] = v; // the sum adds the values as the queries do, as doubles
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }

                sum.Add(_doubleScratch.AsSpan(0, count));

                IntegerCodec.Encode(_intScratch.AsSpan(0, count), _block);
                break;
            case FieldType.Double:
                min = double.PositiveInfinity;
                max = double.NegativeInfinity;
                for (var i = 0; i < count; i++)
                {
                    var v = values[i].AsDouble;
                    _doubleScratch[i] = v;
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }

                sum.Add(_doubleScratch.AsSpan(0, count));

                FloatCodec.Encode(_doubleScratch.AsSpan(0, count), _block);
                break;
            case FieldType.String:
                for (var i = 0; i < count; i++)
                {
                    _stringScratch[i] = values[i].AsString;
                }

                StringCodec.Encode(_stringScratch.AsSpan(0, count), _block);
                Array.Clear(_stringScratch, 0, count);
                break;
        }

        var valuesLength = _block.WrittenCount - Room - timesLength - seqsLength;
        _block.GetSpan(SegmentFormat.BlockTrailerSize);
        _block.Advance(SegmentFormat.BlockTrailerSize);
        Span<byte> header = stackalloc byte[Room];
        var headerSize = SegmentFormat.WriteBlockHeader(header, type, shared ? SegmentFormat.SharedKeysFlag : (byte)0, count, timesLength, seqsLength, valuesLength);
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsMemory(_block.WrittenMemory).Span[(Room - headerSize)..];
        header[..headerSize].CopyTo(bytes);
        var body = bytes[..^SegmentFormat.BlockTrailerSize];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[^SegmentFormat.BlockTrailerSize..], Crc32CHash.Compute(body));
        _stream.Write(bytes);
        if (!sum.TryGetPair(out var sumHigh, out var sumLow))
        {
            (sumHigh, sumLow) = (sum.Round(), double.NaN);
        }

        var meta = new BlockMeta(_position, bytes.Length, type, count, times[0], times[^1], min, max, sumHigh, sumLow);
        if (!shared)
        {
            _keys.Remember(keyHash, times, seqs, _position);
        }

        _position += bytes.Length;
        _valueCount += count;
        return meta;
    }

    /// <summary>Writes index and footer, fsyncs and renames the file into place.</summary>
    public void Finish()
    {
        _index.ResetWrittenCount();
        var seqs = _valueCount == 0 ? default : _seqs;
        BinaryWrite.VarI64(_index, seqs.Min);
        BinaryWrite.VarI64(_index, seqs.Max);
        BinaryWrite.VarU64(_index, (ulong)_entries.Count);
        long previousEnd = SegmentFormat.HeaderSize, previousMinTime = 0;
        foreach (var (seriesId, columns) in _entries)
        {
            BinaryWrite.VarU64(_index, seriesId);
            BinaryWrite.VarU64(_index, (ulong)columns.Count);
            foreach (var (column, blocks) in columns)
            {
                BinaryWrite.String(_index, column);
                BinaryWrite.VarU64(_index, (ulong)blocks.Count);
                foreach (var b in blocks)
                {
                    var compactStats = b.Type == FieldType.Int64 && IsExactInteger(b.Min) && IsExactInteger(b.Max) && IsExactInteger(b.Sum) && b.SumLow == 0;
                    var sumLow = b.HasStats && !compactStats && BitConverter.DoubleToInt64Bits(b.SumLow) != 0;
                    var flags = (b.Type == FieldType.Int64 && !compactStats ? SegmentFormat.DoubleStatsTypeFlag : 0) | (sumLow ? SegmentFormat.SumLowTypeFlag : 0);
                    BinaryWrite.VarI64(_index, b.Offset - previousEnd);
                    BinaryWrite.VarU64(_index, (ulong)b.Length);
                    BinaryWrite.U8(_index, (byte)((byte)b.Type | flags));
                    BinaryWrite.VarU64(_index, (ulong)b.Count);
                    BinaryWrite.VarI64(_index, unchecked(b.MinTime - previousMinTime));
                    BinaryWrite.VarU64(_index, unchecked((ulong)(b.MaxTime - b.MinTime)));
                    previousEnd = b.Offset + b.Length;
                    previousMinTime = b.MinTime;
                    if (compactStats)
                    {
                        BinaryWrite.VarI64(_index, (long)b.Min);
                        BinaryWrite.VarU64(_index, (ulong)((long)b.Max - (long)b.Min));
                        BinaryWrite.VarI64(_index, (long)b.Sum);
                    }
                    else if (b.HasStats)
                    {
                        BinaryWrite.F64(_index, b.Min);
                        BinaryWrite.F64(_index, b.Max);
                        BinaryWrite.F64(_index, b.Sum);
                        if (sumLow)
                        {
                            BinaryWrite.F64(_index, b.SumLow);
                        }
                    }
                }
            }
        }

        var index = _index.WrittenSpan;
        _stream.Write(index);
        Span<byte> footer = stackalloc byte[SegmentFormat.FooterSize];
        BinaryPrimitives.WriteInt64LittleEndian(footer, _position);
        BinaryPrimitives.WriteInt32LittleEndian(footer[8..], index.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(footer[12..], Crc32CHash.Compute(index));
        BinaryPrimitives.WriteInt64LittleEndian(footer[16..], _valueCount);
        BinaryPrimitives.WriteUInt16LittleEndian(footer[24..], SegmentFormat.Version);
        BinaryPrimitives.WriteUInt16LittleEndian(footer[26..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(footer[28..], Crc32CHash.Compute(footer[..28]));
        SegmentFormat.Magic.CopyTo(footer[32..]);
        _stream.Write(footer);
        _stream.Flush(flushToDisk: true);
        _stream.Dispose();
        File.Move(_tmpPath, _path, overwrite: true);
        DirectorySync.Fsync(Path.GetDirectoryName(Path.GetFullPath(_path))!);
        _finished = true;
    }

    /// <summary>An integer of at most 2^53 in magnitude: a long and back gives the same double.</summary>
    private static bool IsExactInteger(double value) => Math.Abs(value) <= SegmentFormat.ExactIntegerLimit && value == Math.Floor(value);

    public void Dispose()
    {
        _keys.Dispose();
        if (!_finished)
        {
            _stream.Dispose();
            File.Delete(_tmpPath);
        }
    }
}
