using Microsoft.Extensions.Logging;

namespace Strata.Storage;

/// <summary>Source-generated log messages of the storage engine.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Recovered {Records} WAL records from {Files} file(s), {Points} values in memtables, in {Milliseconds} ms")]
    public static partial void Recovered(ILogger logger, int records, int files, long points, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WAL file {File}: {Problem}; cut at byte {ValidLength} of {FileLength} (the cut record was never acknowledged)")]
    public static partial void WalTailCut(ILogger logger, string file, string problem, long validLength, long fileLength);

    [LoggerMessage(Level = LogLevel.Error, Message = "Segment {File} is corrupt and is not served: {Problem}. Moved to {Quarantine}")]
    public static partial void SegmentQuarantined(ILogger logger, string file, string problem, string quarantine);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Flushed {Shards} shard memtable(s): {Values} values into {Bytes} bytes in {Milliseconds} ms")]
    public static partial void Flushed(ILogger logger, int shards, long values, long bytes, long milliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Compacted {Inputs} segments of shard {Shard} into one of {Bytes} bytes")]
    public static partial void Compacted(ILogger logger, int inputs, long shard, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped shard {Shard} of space {Space} ([{Start}, {End}) µs)")]
    public static partial void ShardDropped(ILogger logger, long shard, string space, long start, long end);

    [LoggerMessage(Level = LogLevel.Error, Message = "Background flush failed; will retry")]
    public static partial void FlushFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Background compaction failed; the shard is compacted again after a later flush")]
    public static partial void CompactionFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed leftover file {File} from an interrupted flush or compaction")]
    public static partial void RemovedLeftover(ILogger logger, string file);
}
