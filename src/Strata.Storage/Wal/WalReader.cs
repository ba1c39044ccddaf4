using System.Buffers;
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

    /// <summary>
    /// Calls <paramref name="onRecord"/> for every intact record, then truncates a torn or corrupt tail. The file is
    /// read in chunks into one pooled buffer (a record larger than a chunk grows it), so replaying a large log
    /// allocates no file-sized array.
    /// </summary>
    public static WalReadResult ReadAndRepair(string path, long number, WalRecordHandler onRecord)
    {
        var records = 0;
        string? problem = null;
        long valid, fileLength;
        using (var file = new ChunkedFile(path))
        {
            fileLength = file.Length;
            if (!file.Ensure(WalWriter.FileHeaderSize) || !file.Peek(8).SequenceEqual(WalWriter.Magic))
            {
                problem = "missing or damaged file header";
                valid = 0;
            }
            else if (BinaryPrimitives.ReadUInt16LittleEndian(file.Peek(10)[8..]) is var version && version != WalWriter.Version)
            {
                throw new InvalidDataException($"cannot read WAL file {path}: unsupported version {version}");
            }
            else
            {
                file.Skip(WalWriter.FileHeaderSize);
                while (file.Ensure(1))
                {
                    var position = file.Position;
                    if (!file.Ensure(WalWriter.RecordHeaderSize))
                    {
                        problem = $"torn record header at offset {position}";
                        break;
                    }

                    var header = file.Peek(WalWriter.RecordHeaderSize);
                    var length = BinaryPrimitives.ReadInt32LittleEndian(header);
                    var crc = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
                    if (length < 0 || length > fileLength - position - WalWriter.RecordHeaderSize || !file.Ensure(WalWriter.RecordHeaderSize + length))
                    {
                        problem = $"torn record at offset {position} (length {length})";
                        break;
                    }

                    var payload = file.Peek(WalWriter.RecordHeaderSize + length)[WalWriter.RecordHeaderSize..];
                    if (Crc32CHash.Compute(payload) != crc)
                    {
                        problem = $"checksum mismatch in record at offset {position}";
                        break;
                    }

                    onRecord(payload);
                    records++;
                    file.Skip(WalWriter.RecordHeaderSize + length);
                }

                valid = file.Position;
            }
        }

        if (problem is not null)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
            file.SetLength(valid);
            file.Flush(flushToDisk: true);
        }

        return new WalReadResult(number, records, valid, fileLength, problem);
    }

    /// <summary>A forward-only window over a file: <see cref="Ensure"/> brings the next bytes into a pooled buffer.</summary>
    private sealed class ChunkedFile : IDisposable
    {
        private const int ChunkBytes = 1 << 20;

        private readonly FileStream _file;
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        private int _start;
        private int _end;

        public ChunkedFile(string path)
        {
            _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            Length = _file.Length;
        }

        public long Length { get; }

        /// <summary>File offset of the next unconsumed byte.</summary>
        public long Position { get; private set; }

        /// <summary>True when the next <paramref name="count"/> bytes are in the buffer (false: the file ends first).</summary>
        public bool Ensure(int count)
        {
            if (_end - _start >= count)
            {
                return true;
            }

            if (count > _buffer.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(count);
                _buffer.AsSpan(_start, _end - _start).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
                (_start, _end) = (0, _end - _start);
            }
            else if (_start + count > _buffer.Length)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                (_start, _end) = (0, _end - _start);
            }

            while (_end - _start < count)
            {
                var read = _file.Read(_buffer, _end, _buffer.Length - _end);
                if (read == 0)
                {
                    return false;
                }

                _end += read;
            }

            return true;
        }

        /// <summary>The next <paramref name="count"/> bytes, which <see cref="Ensure"/> made available.</summary>
        public ReadOnlySpan<byte> Peek(int count) => _buffer.AsSpan(_start, count);

        public void Skip(int count)
        {
            _start += count;
            Position += count;
        }

        public void Dispose()
        {
            _file.Dispose();
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }
}

/// <summary>Receives one WAL record's payload; the span is valid only during the call.</summary>
public delegate void WalRecordHandler(ReadOnlySpan<byte> payload);
