using System.IO.Hashing;

namespace Strata.Storage.IO;

/// <summary>CRC-32C (Castagnoli), the checksum of every WAL record, segment block, index and state file.</summary>
public static class Crc32CHash
{
    public static uint Compute(ReadOnlySpan<byte> data) => Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data);
}
