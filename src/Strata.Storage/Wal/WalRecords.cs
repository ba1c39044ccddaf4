using System.Buffers;
using System.Runtime.InteropServices;
using Strata.Core;
using Strata.Storage.IO;

namespace Strata.Storage.Wal;

/// <summary>The record kinds of the WAL (docs/format/wal.md).</summary>
public enum WalRecordType : byte
{
    /// <summary>A whole write request after time and sequence assignment.</summary>
    Write = 1,

    /// <summary>A series dropped from a database.</summary>
    DropSeries = 2,

    /// <summary>A time range deleted from one series (delete from).</summary>
    DeleteRange = 3,
}

/// <summary>Serialises and parses WAL record payloads.</summary>
public static class WalRecords
{
    private const byte ClientSeqFlag = 1;

    /// <summary>
    /// Write: type u8 | db id varint | sequence counter varint | series count varint | per series: name, column
    /// count, column names, point count, then per point: flags u8, time varint (zigzag), seq varint (zigzag), and per
    /// column a type tag u8 followed by the value (bool u8, int64 zigzag varint, double 8 bytes, string).
    /// </summary>
    public static void WriteWrite(uint databaseId, long sequenceCounter, WriteBatch batch, IBufferWriter<byte> w)
    {
        BinaryWrite.U8(w, (byte)WalRecordType.Write);
        BinaryWrite.VarU64(w, databaseId);
        BinaryWrite.VarU64(w, (ulong)sequenceCounter);
        BinaryWrite.VarU64(w, (ulong)batch.Series.Count);
        foreach (var s in batch.Series)
        {
            BinaryWrite.String(w, s.Name);
            BinaryWrite.VarU64(w, (ulong)s.Columns.Count);
            foreach (var c in s.Columns)
            {
                BinaryWrite.String(w, c);
            }

            BinaryWrite.VarU64(w, (ulong)s.PointCount);
            var columns = s.Columns.Count;
            for (var p = 0; p < s.PointCount; p++)
            {
                BinaryWrite.U8(w, s.ClientSeq[p] ? ClientSeqFlag : (byte)0);
                BinaryWrite.VarI64(w, s.Times[p]);
                BinaryWrite.VarI64(w, s.Seqs[p]);
                for (var c = 0; c < columns; c++)
                {
                    WriteValue(w, s.Values[(p * columns) + c]);
                }
            }
        }
    }

    private static void WriteValue(IBufferWriter<byte> w, FieldValue v)
    {
        BinaryWrite.U8(w, (byte)v.Type);
        switch (v.Type)
        {
            case FieldType.Bool:
                BinaryWrite.U8(w, v.AsBool ? (byte)1 : (byte)0);
                break;
            case FieldType.Int64:
                BinaryWrite.VarI64(w, v.AsInt64);
                break;
            case FieldType.Double:
                BinaryWrite.F64(w, v.AsDouble);
                break;
            case FieldType.String:
                BinaryWrite.String(w, v.AsString);
                break;
        }
    }

    public static void WriteDropSeries(uint databaseId, string series, IBufferWriter<byte> w)
    {
        BinaryWrite.U8(w, (byte)WalRecordType.DropSeries);
        BinaryWrite.VarU64(w, databaseId);
        BinaryWrite.String(w, series);
    }

    /// <summary>DeleteRange: type u8 | db id varint | series name | start µs zvarint | end µs zvarint (both inclusive).</summary>
    public static void WriteDeleteRange(uint databaseId, string series, long startMicros, long endMicros, IBufferWriter<byte> w)
    {
        BinaryWrite.U8(w, (byte)WalRecordType.DeleteRange);
        BinaryWrite.VarU64(w, databaseId);
        BinaryWrite.String(w, series);
        BinaryWrite.VarI64(w, startMicros);
        BinaryWrite.VarI64(w, endMicros);
    }

    public static (uint DatabaseId, string Series, long StartMicros, long EndMicros) ReadDeleteRange(ReadOnlySpan<byte> payload)
    {
        var r = new BinaryReadCursor(payload);
        r.U8();
        return ((uint)r.VarU64(), r.String(), r.VarI64(), r.VarI64());
    }

    public static WalRecordType PeekType(ReadOnlySpan<byte> payload) =>
        payload.Length == 0 ? throw new InvalidDataException("empty WAL record") : (WalRecordType)payload[0];

    /// <summary>
    /// Parses a Write record into <paramref name="batch"/> (cleared first, its series objects reused) with names from
    /// <paramref name="names"/>: replaying a WAL allocates nothing per point once the batch is warm.
    /// </summary>
    public static (uint DatabaseId, long SequenceCounter) ReadWrite(ReadOnlySpan<byte> payload, WriteBatch batch, NameInterner names)
    {
        var r = new BinaryReadCursor(payload);
        r.U8();
        var db = (uint)r.VarU64();
        var counter = (long)r.VarU64();
        batch.Clear();
        var seriesCount = r.Count(int.MaxValue);
        for (var i = 0; i < seriesCount; i++)
        {
            var s = batch.AddSeries(Name(ref r, names));
            var columnCount = r.Count(1 << 20);
            for (var c = 0; c < columnCount; c++)
            {
                s.Columns.Add(Name(ref r, names));
            }

            // A point takes at least 3 bytes (flags, time, sequence number) and a value at least 1: a count the
            // record cannot hold is corrupt, and is refused before anything is sized by it.
            var points = r.Count(r.Remaining / 3);
            if ((long)points * columnCount > r.Remaining)
            {
                BinaryReadCursor.ThrowCorrupt($"{points} points of {columnCount} columns exceed the record");
            }

            CollectionsMarshal.SetCount(s.Times, points);
            CollectionsMarshal.SetCount(s.Seqs, points);
            CollectionsMarshal.SetCount(s.ClientSeq, points);
            CollectionsMarshal.SetCount(s.Values, points * columnCount);
            var times = CollectionsMarshal.AsSpan(s.Times);
            var seqs = CollectionsMarshal.AsSpan(s.Seqs);
            var clientSeq = CollectionsMarshal.AsSpan(s.ClientSeq);
            var values = CollectionsMarshal.AsSpan(s.Values);
            for (var p = 0; p < points; p++)
            {
                var flags = r.U8();
                times[p] = r.VarI64();
                seqs[p] = r.VarI64();
                clientSeq[p] = (flags & ClientSeqFlag) != 0;
                for (var c = 0; c < columnCount; c++)
                {
                    values[(p * columnCount) + c] = ReadValue(ref r);
                }
            }
        }

        return (db, counter);
    }

    private static string Name(ref BinaryReadCursor r, NameInterner names)
    {
        var utf8 = r.Bytes(r.Count(int.MaxValue / 2));
        return names.TryIntern(utf8) ?? System.Text.Encoding.UTF8.GetString(utf8);
    }

    private static FieldValue ReadValue(ref BinaryReadCursor r)
    {
        var type = (FieldType)r.U8();
        return type switch
        {
            FieldType.Null => FieldValue.Null,
            FieldType.Bool => FieldValue.FromBool(r.U8() != 0),
            FieldType.Int64 => FieldValue.FromInt64(r.VarI64()),
            FieldType.Double => FieldValue.FromDouble(r.F64()),
            FieldType.String => FieldValue.FromString(r.String()),
            _ => throw new InvalidDataException($"unknown value type {(byte)type}"),
        };
    }

    public static (uint DatabaseId, string Series) ReadDropSeries(ReadOnlySpan<byte> payload)
    {
        var r = new BinaryReadCursor(payload);
        r.U8();
        return ((uint)r.VarU64(), r.String());
    }
}
