using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Strata.Core;
using Strata.Storage.IO;
using Strata.Storage.Segments.Codecs;

namespace Strata.Storage.Wal;

/// <content>Parsing WAL record payloads, every record type and layout a WAL may hold.</content>
public static partial class WalRecords
{
    public static (uint DatabaseId, string Series, long StartMicros, long EndMicros) ReadDeleteRange(ReadOnlySpan<byte> payload)
    {
        var r = new BinaryReadCursor(payload);
        r.U8();
        return ((uint)r.VarU64(), r.String(), r.VarI64(), r.VarI64());
    }

    public static WalRecordType PeekType(ReadOnlySpan<byte> payload) =>
        payload.Length == 0 ? throw new InvalidDataException("empty WAL record") : (WalRecordType)payload[0];

    /// <summary>
    /// Parses a Write, WriteColumns or WriteCompact record into <paramref name="batch"/> (cleared first, its series objects reused)
    /// with names from <paramref name="names"/>: replaying a WAL allocates nothing per point once the batch is warm.
    /// </summary>
    public static (uint DatabaseId, long SequenceCounter) ReadWrite(ReadOnlySpan<byte> payload, WriteBatch batch, NameInterner names)
    {
        var r = new BinaryReadCursor(payload);
        var type = (WalRecordType)r.U8();
        var columnar = type is WalRecordType.WriteColumns or WalRecordType.WriteCompact;
        var compact = type == WalRecordType.WriteCompact;
        var db = (uint)r.VarU64();
        var counter = (long)r.VarU64();
        var state = new CompactState { NextAssigned = compact ? unchecked(counter - (long)r.VarU64()) : 0 };
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

            // A point takes at least 2 bytes (time, sequence number; a row record also a flags byte; a compact one may
            // leave the sequence number out) and a value at least 1: a count the record cannot hold is corrupt, and is
            // refused before anything is sized by it.
            var points = r.Count(r.Remaining / (compact ? 1 : columnar ? 2 : 3));
            if ((long)points * columnCount > r.Remaining)
            {
                BinaryReadCursor.ThrowCorrupt($"{points} points of {columnCount} columns exceed the record");
            }

            CollectionsMarshal.SetCount(s.Times, points);
            CollectionsMarshal.SetCount(s.Seqs, points);
            CollectionsMarshal.SetCount(s.ClientSeq, points);
            CollectionsMarshal.SetCount(s.Values, points * columnCount);
            if (compact)
            {
                ReadSeriesCompact(ref r, s, columnCount, ref state);
            }
            else if (columnar)
            {
                ReadSeriesColumns(ref r, s, columnCount);
            }
            else
            {
                ReadSeriesRows(ref r, s, columnCount);
            }
        }

        if (compact && state.NextAssigned != counter)
        {
            BinaryReadCursor.ThrowCorrupt("the assigned sequence numbers do not end at the record's counter");
        }

        return (db, counter);
    }

    /// <summary>What a WriteCompact record's series carry over to the next one.</summary>
    private struct CompactState
    {
        /// <summary>The counter of the last sequence number assigned so far.</summary>
        public long NextAssigned;

        public long PreviousFirstTime;
    }

    private static void ReadSeriesRows(ref BinaryReadCursor r, SeriesPoints s, int columnCount)
    {
        var times = CollectionsMarshal.AsSpan(s.Times);
        var seqs = CollectionsMarshal.AsSpan(s.Seqs);
        var clientSeq = CollectionsMarshal.AsSpan(s.ClientSeq);
        var values = CollectionsMarshal.AsSpan(s.Values);
        for (var p = 0; p < times.Length; p++)
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

    private static void ReadSeriesColumns(ref BinaryReadCursor r, SeriesPoints s, int columnCount)
    {
        ReadClientSeqFlags(ref r, CollectionsMarshal.AsSpan(s.ClientSeq));
        ReadDeltaOfDelta(ref r, CollectionsMarshal.AsSpan(s.Times), 0);
        ReadDeltaOfDelta(ref r, CollectionsMarshal.AsSpan(s.Seqs), 0);
        var values = CollectionsMarshal.AsSpan(s.Values);
        for (var c = 0; c < columnCount; c++)
        {
            ReadColumn(ref r, values, c, columnCount, s.ClientSeq.Count);
        }
    }

    private static void ReadSeriesCompact(ref BinaryReadCursor r, SeriesPoints s, int columnCount, ref CompactState state)
    {
        var clientSeq = CollectionsMarshal.AsSpan(s.ClientSeq);
        ReadClientSeqFlags(ref r, clientSeq);
        var times = CollectionsMarshal.AsSpan(s.Times);
        ReadDeltaOfDelta(ref r, times, state.PreviousFirstTime);
        state.PreviousFirstTime = times.IsEmpty ? state.PreviousFirstTime : times[0];
        var seqs = CollectionsMarshal.AsSpan(s.Seqs);
        var first = true;
        long previous = 0, delta = 0;
        for (var p = 0; p < seqs.Length; p++)
        {
            if (!clientSeq[p])
            {
                seqs[p] = AssignedSeq(state.NextAssigned = unchecked(state.NextAssigned + 1));
                continue;
            }

            if (first)
            {
                previous = r.VarI64();
                first = false;
            }
            else
            {
                delta = unchecked(delta + r.VarI64());
                previous = unchecked(previous + delta);
            }

            seqs[p] = previous;
        }

        var values = CollectionsMarshal.AsSpan(s.Values);
        for (var c = 0; c < columnCount; c++)
        {
            ReadColumn(ref r, values, c, columnCount, clientSeq.Length);
        }
    }

    private static void ReadClientSeqFlags(ref BinaryReadCursor r, Span<bool> clientSeq)
    {
        var points = clientSeq.Length;
        switch (r.U8())
        {
            case ClientSeqNone:
                clientSeq.Clear();
                break;
            case ClientSeqAll:
                clientSeq.Fill(true);
                break;
            case ClientSeqBitmap:
                var bits = r.Bytes((points + 7) / 8);
                for (var p = 0; p < points; p++)
                {
                    clientSeq[p] = (bits[p >> 3] & (1 << (p & 7))) != 0;
                }

                break;
            default:
                BinaryReadCursor.ThrowCorrupt("unknown client sequence flags encoding");
                break;
        }
    }

    private static void ReadDeltaOfDelta(ref BinaryReadCursor r, Span<long> values, long origin)
    {
        if (values.IsEmpty)
        {
            return;
        }

        var previous = values[0] = unchecked(origin + r.VarI64());
        long delta = 0;
        for (var p = 1; p < values.Length; p++)
        {
            delta = unchecked(delta + r.VarI64());
            previous = values[p] = unchecked(previous + delta);
        }
    }

    private static void ReadColumn(ref BinaryReadCursor r, Span<FieldValue> values, int column, int columns, int points)
    {
        switch (r.U8())
        {
            case ColumnDoubles:
                var raw = r.Bytes(points * 8);
                for (var p = 0; p < points; p++)
                {
                    values[(p * columns) + column] = FieldValue.FromRaw(FieldType.Double, BinaryPrimitives.ReadInt64LittleEndian(raw[(p * 8)..]), null);
                }

                break;
            case ColumnIntegers:
                long previous = 0;
                for (var p = 0; p < points; p++)
                {
                    previous = unchecked(previous + r.VarI64());
                    values[(p * columns) + column] = FieldValue.FromInt64(previous);
                }

                break;
            case ColumnBools:
                for (var p = 0; p < points; p++)
                {
                    values[(p * columns) + column] = FieldValue.FromBool(r.U8() != 0);
                }

                break;
            case ColumnDecimals:
                var scale = r.U8();
                if (scale > DecimalFloatCodec.MaxScale)
                {
                    BinaryReadCursor.ThrowCorrupt($"decimal scale {scale} above {DecimalFloatCodec.MaxScale}");
                }

                var power = DecimalFloatCodec.Power(scale);
                long numerator = 0;
                for (var p = 0; p < points; p++)
                {
                    numerator = unchecked(numerator + r.VarI64());
                    values[(p * columns) + column] = FieldValue.FromDouble(numerator / power);
                }

                break;
            case ColumnTagged:
                for (var p = 0; p < points; p++)
                {
                    values[(p * columns) + column] = ReadValue(ref r);
                }

                break;
            default:
                BinaryReadCursor.ThrowCorrupt("unknown column encoding");
                break;
        }
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
