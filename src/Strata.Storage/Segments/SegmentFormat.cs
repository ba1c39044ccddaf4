using Strata.Core;
using Strata.Storage.Segments.Codecs;

namespace Strata.Storage.Segments;

/// <summary>
/// Constants of the segment file format, version 6 (versions 1 to 5 are read too). The full layout is in
/// docs/format/segment.md:
/// <code>
/// +--------------------+---------+---------+-----+---------+-------------+----------------+
/// | header (12 bytes)  | block 0 | block 1 | ... | block n | index       | footer (40 B)  |
/// | magic "STRATSEG",  |         |         |     |         | (varints,   | index offset,  |
/// | version u16, 0 u16 |         |         |     |         |  CRC32C'd)  | length, CRCs   |
/// +--------------------+---------+---------+-----+---------+-------------+----------------+
/// </code>
/// </summary>
public static class SegmentFormat
{
    public static ReadOnlySpan<byte> Magic => "STRATSEG"u8;

    /// <summary>
    /// The version written: 6 since the index holds a block's exact sum (<see cref="ExactSumVersion"/>); 5 made block headers hold varints (<see cref="VarintBlockHeaderVersion"/>); 4 made the index
    /// hold an integer block's statistics as varints (<see cref="CompactIntegerStatsVersion"/>); 3 let blocks share an earlier block's keys (<see cref="SharedKeysFlag"/>)
    /// and hold up to <see cref="MaxBlockValues"/> values, and made the index relative (<see cref="RelativeIndexVersion"/>);
    /// 2 added the runs layout of <c>TimestampCodec</c>.
    /// </summary>
    public const ushort Version = 6;

    /// <summary>The oldest version read: version 1 differs from 2 only in never using the runs layout.</summary>
    public const ushort OldestReadableVersion = 1;

    /// <summary>The first version whose blocks may carry <see cref="SharedKeysFlag"/>.</summary>
    public const ushort SharedKeysVersion = 3;

    /// <summary>
    /// The first version whose index stores a block's offset after the previous block's end, its min time after
    /// the previous block's and its max time after its min time (docs/format/segment.md, "Index").
    /// </summary>
    public const ushort RelativeIndexVersion = 3;

    /// <summary>The first version whose index starts with the smallest and largest sequence number in the segment.</summary>
    public const ushort SeqRangeVersion = 3;

    /// <summary>
    /// The first version whose index stores an int64 block's min, max and sum as zvarint min | varint max − min |
    /// zvarint sum when all three are integers of at most 2^53 in magnitude, and marks the others' type byte with
    /// <see cref="DoubleStatsTypeFlag"/> (docs/format/segment.md, "Index").
    /// </summary>
    public const ushort CompactIntegerStatsVersion = 4;

    /// <summary>
    /// The first version whose block header holds the count and the three section lengths as varints
    /// (<see cref="WriteBlockHeader"/>) instead of u16 and three u32 (<see cref="BlockHeaderSize"/>).
    /// </summary>
    public const ushort VarintBlockHeaderVersion = 5;

    /// <summary>
    /// The first version whose index holds a block's exact sum: the f64 sum is the exact sum rounded once, and a
    /// type byte flagged with <see cref="SumLowTypeFlag"/> is followed after it by the f64 that completes it (NaN when
    /// two doubles cannot hold it). Integer statistics are kept as varints only when the sum is exact.
    /// </summary>
    public const ushort ExactSumVersion = 6;

    /// <summary>Index type-byte flag (version 6 on, blocks with f64 statistics): an f64 follows the sum, the rest of the exact sum.</summary>
    public const byte SumLowTypeFlag = 0x40;

    /// <summary>2^53: the largest magnitude of the integer statistics kept as varints (every integer up to it is a double).</summary>
    public const long ExactIntegerLimit = 1L << 53;

    /// <summary>Index type-byte flag (version 4 on, int64 blocks only): the statistics are three f64, as for doubles.</summary>
    public const byte DoubleStatsTypeFlag = 0x80;

    /// <summary>
    /// Block flag: the block's times and sequence numbers are an earlier block's (its times section holds that block's
    /// offset and the shift of its sequence numbers; the seqs section is empty).
    /// </summary>
    public const byte SharedKeysFlag = 1;

    public const int HeaderSize = 12;

    /// <summary>index offset u64, index length u32, index crc u32, value count u64, version u16, reserved u16, footer crc u32, magic 8.</summary>
    public const int FooterSize = 8 + 4 + 4 + 8 + 2 + 2 + 4 + 8;

    /// <summary>Before version 5: type u8, flags u8, count u16, times length u32, seqs length u32, values length u32.</summary>
    public const int BlockHeaderSize = 1 + 1 + 2 + 4 + 4 + 4;

    /// <summary>Version 5 on: type u8, flags u8, then count, times length, seqs length and values length as varints.</summary>
    public const int MaxVarintBlockHeaderSize = 1 + 1 + (4 * 5);

    /// <summary>The smallest version 5 block header: every varint one byte.</summary>
    public const int MinVarintBlockHeaderSize = 1 + 1 + 4;

    /// <summary>Writes a version 5 block header at the start of <paramref name="destination"/>; returns its size.</summary>
    public static int WriteBlockHeader(Span<byte> destination, FieldType type, byte flags, int count, int timesLength, int seqsLength, int valuesLength)
    {
        destination[0] = (byte)type;
        destination[1] = flags;
        var at = 2;
        at += VarInt.Write(destination[at..], (ulong)count);
        at += VarInt.Write(destination[at..], (ulong)timesLength);
        at += VarInt.Write(destination[at..], (ulong)seqsLength);
        at += VarInt.Write(destination[at..], (ulong)valuesLength);
        return at;
    }

    public const int BlockTrailerSize = 4;

    /// <summary>
    /// Values per block (1,000 before version 3): large enough that the per-block header, index entry and codec headers
    /// cost little per value, small enough that a block's decoded columns stay in the second-level cache.
    /// </summary>
    public const int MaxBlockValues = 8192;

    public const string Extension = ".seg";

    public static string FileName(long number) => $"{number:D8}{Extension}";
}
