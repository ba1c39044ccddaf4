using System.Buffers;
using System.IO.Hashing;

namespace Strata.Storage.IO;

/// <summary>
/// Whole-file CRC32C, computed while a file is read or copied: backups record it in their manifest
/// (docs/format/backup.md) and restores compare it before anything is changed and again while copying.
/// </summary>
public static class FileChecksum
{
    private const int BufferSize = 1 << 20;

    /// <summary>The size and CRC32C of a file.</summary>
    public static (long Size, uint Crc32C) Compute(string path)
    {
        using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.SequentialScan);
        return Pump(source, null);
    }

    /// <summary>
    /// Copies <paramref name="source"/> to a new file <paramref name="destination"/> (fails if it exists), fsyncs it,
    /// and returns the size and CRC32C of the bytes written.
    /// </summary>
    public static (long Size, uint Crc32C) Copy(string source, string destination)
    {
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.SequentialScan);
        using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
        var result = Pump(input, output);
        output.Flush(flushToDisk: true);
        return result;
    }

    private static (long Size, uint Crc32C) Pump(Stream input, Stream? output)
    {
        var crc = new Crc32(Crc32ParameterSet.Crc32C);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long size = 0;
        try
        {
            int n;
            while ((n = input.Read(buffer, 0, BufferSize)) > 0)
            {
                crc.Append(buffer.AsSpan(0, n));
                output?.Write(buffer, 0, n);
                size += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (size, crc.GetCurrentHashAsUInt32());
    }
}
