using System.Buffers.Binary;
using Strata.Storage.IO;

namespace Strata.Storage.Wal;

/// <summary>The outcome of reading one WAL file.</summary>
public sealed record WalReadResult(long FileNumber, int Records, long ValidLength, long FileLength, string? TailProblem);

/// <summary>
/// Reads WAL files for recovery. A record whose header or payload is incomplete, or whose CRC does not match, ends
/// the readable log: the file is cut there (the record was never acknowledged, since acknowledgement follows fsync).
/// </summary>
public static class WalReader
{
    public static IReadOnlyList<(long Number, string Path)> ListFiles(string directory)
    {
        var result = new List<(long, string)>();
        if (!Directory.Exists(directory))
        {
            return result;
        }

        foreach (var path in Directory.EnumerateFiles(directory, "*.wal"))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(path), out var number))
            {
                result.Add((number, path));
            }
        }

        result.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return result;
    }

    /// <summary>Calls <paramref name="onRecord"/> for every intact record, then truncates a torn or corrupt tail.</summary>
    public static WalReadResult ReadAndRepair(string path, long number, Action<ReadOnlyMemory<byte>> onRecord)
    {
        var bytes = File.ReadAllBytes(path);
        var records = 0;
        string? problem = null;
        long valid;
        if (bytes.Length < WalWriter.FileHeaderSize || !bytes.AsSpan(0, 8).SequenceEqual(WalWriter.Magic))
        {
            problem = "missing or damaged file header";
            valid = 0;
        }
        else if (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) != WalWriter.Version)
        {
            throw new InvalidDataException($"cannot read WAL file {path}: unsupported version {BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8))}");
        }
        else
        {
            var position = WalWriter.FileHeaderSize;
            while (position < bytes.Length)
            {
                if (bytes.Length - position < WalWriter.RecordHeaderSize)
                {
                    problem = $"torn record header at offset {position}";
                    break;
                }

                var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(position));
                var crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position + 4));
                if (length < 0 || length > bytes.Length - position - WalWriter.RecordHeaderSize)
                {
                    problem = $"torn record at offset {position} (length {length})";
                    break;
                }

                var payload = new ReadOnlyMemory<byte>(bytes, position + WalWriter.RecordHeaderSize, length);
                if (Crc32CHash.Compute(payload.Span) != crc)
                {
                    problem = $"checksum mismatch in record at offset {position}";
                    break;
                }

                onRecord(payload);
                records++;
                position += WalWriter.RecordHeaderSize + length;
            }

            valid = position;
        }

        if (problem is not null)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
            file.SetLength(valid);
            file.Flush(flushToDisk: true);
        }

        return new WalReadResult(number, records, valid, bytes.Length, problem);
    }
}
