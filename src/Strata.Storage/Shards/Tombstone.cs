namespace Strata.Storage.Shards;

/// <summary>
/// A time-range delete of one series (<c>delete from … where time …</c>), as it applies to segment files:
/// it masks entries with <see cref="StartMicros"/> ≤ time ≤ <see cref="EndMicros"/> in segments numbered up to
/// <see cref="SegmentsThrough"/>, i.e. the ones that existed when the delete ran. Memtables are cut directly, so
/// data written after the delete is never masked. Compaction applies and then forgets tombstones.
/// </summary>
public sealed record Tombstone(uint SeriesId, long StartMicros, long EndMicros, long SegmentsThrough)
{
    public bool Masks(long segmentNumber, uint seriesId, long time) =>
        seriesId == SeriesId && segmentNumber <= SegmentsThrough && time >= StartMicros && time <= EndMicros;
}
