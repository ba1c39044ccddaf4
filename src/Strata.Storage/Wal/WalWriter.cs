using System.Buffers;
using System.Buffers.Binary;
using Strata.Storage.IO;

namespace Strata.Storage.Wal;

/// <summary>
/// Appends records to the node's write-ahead log with group commit: every record appended while an fsync is in
/// progress is written and synced by the next single fsync. Format: docs/format/wal.md.
/// </summary>
/// <remarks>
/// Callers append under their own ordering lock (so the WAL order is the apply order) and then await the returned
/// task, which completes once the record is on disk.
/// </remarks>
public sealed class WalWriter : IDisposable
{
    public static ReadOnlySpan<byte> Magic => "STRATWAL"u8;

    public const ushort Version = 1;

    public const int FileHeaderSize = 8 + 2 + 2;

    public const int RecordHeaderSize = 8;

    private readonly string _directory;
    private readonly Lock _bufferLock = new();
    private readonly SemaphoreSlim _ioLock = new(1, 1);
    private readonly Thread _syncThread;
    private readonly AutoResetEvent _pendingSignal = new(false);
    private ArrayBufferWriter<byte> _pending = new(1 << 20);
    private ArrayBufferWriter<byte> _spare = new(1 << 20);
    private TaskCompletionSource _pendingDone = NewCompletion();
    private FileStream _file;
    private volatile bool _stopping;
    private Exception? _failure;

    public WalWriter(string directory, long fileNumber)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        FileNumber = fileNumber;
        _file = CreateFile(fileNumber);
        _syncThread = new Thread(SyncLoop) { IsBackground = true, Name = "strata-wal-sync" };
        _syncThread.Start();
    }

    /// <summary>The number of the file currently appended to.</summary>
    public long FileNumber { get; private set; }

    /// <summary>Number of fsyncs issued (for /metrics and tests of group commit).</summary>
    public long SyncCount { get; private set; }

    public static string FileName(long number) => $"{number:D8}.wal";

    /// <summary>
    /// Appends one record. The <paramref name="writePayload"/> callback writes the payload bytes. Returns a task that
    /// completes when the record is durable.
    /// </summary>
    public Task Append<TState>(TState state, Action<TState, IBufferWriter<byte>> writePayload)
    {
        lock (_bufferLock)
        {
            if (_failure is not null)
            {
                return Task.FromException(new IOException("write-ahead log is unavailable after an earlier I/O error", _failure));
            }

            var start = _pending.WrittenCount;
            _pending.GetSpan(RecordHeaderSize);
            _pending.Advance(RecordHeaderSize);
            writePayload(state, _pending);
            var payloadLength = _pending.WrittenCount - start - RecordHeaderSize;
            var written = _pending.WrittenSpan;
            var payload = written.Slice(start + RecordHeaderSize, payloadLength);
            var crc = Crc32CHash.Compute(payload);

            // The header is patched in place; the span from GetSpan stays valid because nothing else grew the buffer.
            var header = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(
                ref System.Runtime.InteropServices.MemoryMarshal.GetReference(written.Slice(start, RecordHeaderSize)), RecordHeaderSize);
            BinaryPrimitives.WriteInt32LittleEndian(header, payloadLength);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], crc);
            var done = _pendingDone.Task;
            _pendingSignal.Set();
            return done;
        }
    }

    /// <summary>
    /// Syncs everything appended so far into the current file and starts a new file with the next number. Returns
    /// the number of the file that was closed. Callers hold their ordering lock so no append races the switch.
    /// </summary>
    public long Rotate()
    {
        _ioLock.Wait();
        try
        {
            WritePending();
            var closed = FileNumber;
            _file.Dispose();
            FileNumber = closed + 1;
            _file = CreateFile(FileNumber);
            return closed;
        }
        finally
        {
            _ioLock.Release();
        }
    }

    private FileStream CreateFile(long number)
    {
        var path = Path.Combine(_directory, FileName(number));
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
        Span<byte> header = stackalloc byte[FileHeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], Version);
        file.Write(header);
        file.Flush(flushToDisk: true);
        DirectorySync.Fsync(_directory);
        return file;
    }

    private void SyncLoop()
    {
        while (!_stopping)
        {
            _pendingSignal.WaitOne(50);
            _ioLock.Wait();
            try
            {
                WritePending();
            }
            finally
            {
                _ioLock.Release();
            }
        }
    }

    /// <summary>Writes and fsyncs the pending buffer; completes the waiters of that group. Caller holds _ioLock.</summary>
    private void WritePending()
    {
        ArrayBufferWriter<byte> batch;
        TaskCompletionSource done;
        lock (_bufferLock)
        {
            if (_pending.WrittenCount == 0)
            {
                return;
            }

            batch = _pending;
            done = _pendingDone;
            _pending = _spare;
            _pendingDone = NewCompletion();
        }

        try
        {
            _file.Write(batch.WrittenSpan);
            _file.Flush(flushToDisk: true);
            SyncCount++;
            done.TrySetResult();
        }
        catch (Exception e)
        {
            lock (_bufferLock)
            {
                _failure = e;
            }

            done.TrySetException(new IOException("cannot write to the write-ahead log", e));
        }
        finally
        {
            batch.ResetWrittenCount();
            if (batch.Capacity > 64 << 20)
            {
                batch = new ArrayBufferWriter<byte>(1 << 20);
            }

            _spare = batch;
        }
    }

    private static TaskCompletionSource NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose()
    {
        _stopping = true;
        _pendingSignal.Set();
        _syncThread.Join();
        _ioLock.Wait();
        try
        {
            WritePending();
            _file.Dispose();
        }
        finally
        {
            _ioLock.Release();
        }

        _pendingSignal.Dispose();
    }
}
