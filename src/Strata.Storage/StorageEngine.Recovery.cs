using System.Globalization;
using Strata.Core;
using Strata.Storage.Index;
using Strata.Storage.Segments;
using Strata.Storage.Shards;
using Strata.Storage.Wal;

namespace Strata.Storage;

public sealed partial class StorageEngine
{
    /// <summary>
    /// Start-up: load the checkpoint, open its segments (quarantining any that fail verification), remove files an
    /// interrupted flush or compaction left behind, replay the WAL files the checkpoint does not cover (cutting a
    /// torn tail), and open a fresh WAL file.
    /// </summary>
    private void Recover()
    {
        Directory.CreateDirectory(_shardDirectory);
        Directory.CreateDirectory(_walDirectory);
        var checkpoint = Checkpoint.Load(_dataDirectory);
        _walCoveredThrough = checkpoint.WalCoveredThrough;
        _sequenceCounter = checkpoint.SequenceCounter;
        _checkpointSequenceCounter = checkpoint.SequenceCounter;
        _nextFileNumber = Math.Max(1, checkpoint.NextFileNumber);
        _nextShardId = Math.Max(1, checkpoint.NextShardId);
        _checkpointIndexes = checkpoint.Indexes;

        foreach (var record in checkpoint.Indexes)
        {
            if (!Meta.DatabaseIdExists(record.DatabaseId))
            {
                continue;
            }

            var index = new SeriesIndex(record.NextSeriesId);
            foreach (var s in record.Series)
            {
                index.Restore(s.Id, s.Name, s.Columns);
            }

            _indexes[record.DatabaseId] = index;
        }

        var liveDirectories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in checkpoint.Shards)
        {
            if (!Meta.DatabaseIdExists(record.DatabaseId))
            {
                continue;
            }

            var directory = Path.Combine(_shardDirectory, record.Id.ToString("D6", CultureInfo.InvariantCulture));
            var shard = new Shard(record.Id, record.DatabaseId, record.Space, record.StartMicros, record.EndMicros, directory);
            var segments = new List<SegmentReader>();
            var listed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var number in record.Segments)
            {
                var path = Path.Combine(directory, SegmentFormat.FileName(number));
                listed.Add(path);
                try
                {
                    segments.Add(SegmentReader.Open(path, number));
                }
                catch (Exception e) when (e is SegmentCorruptException or IOException)
                {
                    var quarantine = path + ".corrupt";
                    if (File.Exists(path))
                    {
                        File.Move(path, quarantine, overwrite: true);
                    }

                    StorageLog.SegmentQuarantined(_logger, path, e.Message, quarantine);
                }
            }

            RemoveUnlisted(directory, listed);
            shard.LoadSegments(segments);
            if (record.Tombstones is { } tombstones)
            {
                shard.LoadTombstones(tombstones);
            }
            if (!_shards.TryGetValue(record.DatabaseId, out var shards))
            {
                shards = [];
                _shards[record.DatabaseId] = shards;
            }

            shards[(record.StartMicros, record.Space)] = shard;
            liveDirectories.Add(directory);
        }

        foreach (var directory in Directory.EnumerateDirectories(_shardDirectory))
        {
            if (!liveDirectories.Contains(directory))
            {
                // A dropped database's shard, or a shard whose first flush never reached the checkpoint: its data is in the WAL.
                StorageLog.RemovedLeftover(_logger, directory);
                TryDeleteDirectory(directory);
            }
        }

        ReplayWal();
    }

    private void RemoveUnlisted(string directory, HashSet<string> listed)
    {
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            if (!listed.Contains(path) && !path.EndsWith(".corrupt", StringComparison.Ordinal))
            {
                StorageLog.RemovedLeftover(_logger, path);
                File.Delete(path);
            }
        }
    }

    private void ReplayWal()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        List<(long Number, string Path)> replay = [];
        long lastNumber = _walCoveredThrough;
        foreach (var (number, path) in WalReader.ListFiles(_walDirectory))
        {
            lastNumber = Math.Max(lastNumber, number);
            if (number <= _walCoveredThrough)
            {
                File.Delete(path);
            }
            else
            {
                replay.Add((number, path));
            }
        }

        var records = 0;
        using (var reader = new WalReplayReader(replay))
        {
            foreach (var record in reader.Records())
            {
                ReplayRecord(record);
                reader.Return(record);
                records++;
            }

            for (var i = 0; i < reader.Results.Count; i++)
            {
                if (reader.Results[i] is { TailProblem: { } problem } result)
                {
                    StorageLog.WalTailCut(_logger, replay[i].Path, problem, result.ValidLength, result.FileLength);
                }
                else if (reader.Results[i] is { Records: 0 } empty && empty.ValidLength == empty.FileLength)
                {
                    // A file with nothing but its header (a start with no write before the next stop or crash): every
                    // restart would leave one more behind until the next flush.
                    File.Delete(replay[i].Path);
                }
            }
        }

        _wal = new WalWriter(_walDirectory, lastNumber + 1);
        long values = 0;
        foreach (var shards in _shards.Values)
        {
            foreach (var shard in shards.Values)
            {
                values += shard.Active.Entries;
            }
        }

        StorageLog.Recovered(_logger, records, replay.Count, values, clock.ElapsedMilliseconds);
    }

    private void ReplayRecord(DecodedRecord record)
    {
        switch (record.Type)
        {
            case WalRecordType.Write:
                _sequenceCounter = Math.Max(_sequenceCounter, record.SequenceCounter);
                if (Meta.DatabaseIdExists(record.DatabaseId))
                {
                    Apply(record.DatabaseId, record.Batch);
                }

                break;
            case WalRecordType.DeleteRange:
                ApplyDeleteRange(record.DatabaseId, record.Series, record.StartMicros, record.EndMicros);
                break;
            case WalRecordType.DropSeries:
                ApplyDropSeries(record.DatabaseId, record.Series);
                break;
        }
    }
}
