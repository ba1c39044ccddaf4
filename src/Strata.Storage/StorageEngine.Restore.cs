using System.Globalization;
using Strata.Core;
using Strata.Storage.Backup;
using Strata.Storage.Index;
using Strata.Storage.IO;
using Strata.Storage.Meta;
using Strata.Storage.Segments;
using Strata.Storage.Shards;

namespace Strata.Storage;

/// <summary>
/// Restores (docs/format/backup.md): a whole-node backup offline into an empty data directory, a database snapshot
/// online into the running engine. Both verify the whole snapshot before they change anything.
/// </summary>
public sealed partial class StorageEngine
{
    /// <summary>
    /// Restores a whole-node backup into an empty data directory (the server is not running on it). Every file is
    /// verified first — against the manifest's sizes and CRC32Cs when the backup has one, and always the metadata,
    /// checkpoint and segment footers and indexes — then copied and checked again while copying.
    /// </summary>
    public static void Restore(string backup, string dataDirectory, Action<string> progress)
    {
        if (!Directory.Exists(backup))
        {
            throw new IOException($"{backup} does not exist or is not a directory");
        }

        if (Directory.Exists(dataDirectory) && Directory.EnumerateFileSystemEntries(dataDirectory).Any())
        {
            throw new IOException($"cannot restore into {dataDirectory}: the directory is not empty");
        }

        BackupManifest? manifest = null;
        if (BackupManifest.Exists(backup))
        {
            manifest = BackupManifest.Load(backup);
            if (manifest.Kind != BackupManifest.NodeKind)
            {
                throw new InvalidDataException($"this is a snapshot of database {manifest.Database}: restore it into the running server with POST /cluster/restore?path={backup}");
            }

            manifest.VerifyFiles(backup);
        }

        MetaStore.Open(backup);
        var checkpoint = Checkpoint.Load(backup);
        var files = new List<string> { MetaStore.FileName, Checkpoint.FileName };
        foreach (var shard in checkpoint.Shards)
        {
            foreach (var number in shard.Segments)
            {
                var relative = DatabaseSnapshot.SegmentPath(shard.Id, number);
                using (SegmentReader.Open(Path.Combine(backup, relative), number))
                {
                }

                files.Add(relative);
            }
        }

        if (manifest is not null)
        {
            foreach (var file in files)
            {
                _ = manifest.Find(file) ?? throw new InvalidDataException($"{file}: not listed in {BackupManifest.FileName}");
            }
        }

        Directory.CreateDirectory(dataDirectory);
        for (var i = 0; i < files.Count; i++)
        {
            var destination = Path.Combine(dataDirectory, files[i]);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            var (size, crc) = FileChecksum.Copy(Path.Combine(backup, files[i]), destination);
            if (manifest?.Find(files[i]) is { } record && (record.Size != size || record.Crc32C != crc))
            {
                throw new InvalidDataException($"{files[i]}: changed while it was being restored");
            }

            progress($"[{i + 1}/{files.Count}] {files[i]}");
        }

        foreach (var directory in Directory.EnumerateDirectories(Path.Combine(dataDirectory, "shards")))
        {
            DirectorySync.Fsync(directory);
        }

        DirectorySync.Fsync(Path.Combine(dataDirectory, "shards"));
        DirectorySync.Fsync(dataDirectory);
        progress($"restore complete: {files.Count} files into {dataDirectory}");
    }

    /// <summary>
    /// Restores a database snapshot (<see cref="BackupDatabase"/>) into the running engine as
    /// <paramref name="newName"/> (default: its own name). Everything is verified before anything changes; a bad
    /// snapshot or a taken name is a 400 and leaves the node as it was. Then the segments are copied into new shard
    /// directories, shards and index are registered under a reserved database id, the checkpoint lists them, and
    /// the metadata change that adds the database, its users, continuous queries and shard spaces commits it:
    /// queries see no database before that change and the whole one after it, and a crash before it leaves
    /// nothing behind (start-up discards shards of unknown database ids).
    /// </summary>
    public void RestoreDatabase(string snapshotDirectory, string? newName, Action<string> progress)
    {
        var (manifest, snapshot, name, bytes) = VerifyDatabaseSnapshot(snapshotDirectory, newName);
        var created = DateTimeOffset.FromUnixTimeMilliseconds(manifest.CreatedMicros / 1000).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        progress($"verified snapshot of database {snapshot.Database} taken {created}: {manifest.Files.Count} files, {bytes} bytes");

        _maintenance.Wait();
        uint id = 0;
        var opened = new List<SegmentReader>();
        var directories = new List<string>();
        var checkpointSaved = false;
        var gated = false;
        try
        {
            id = Meta.ReserveDatabaseId();
            var shards = CopyRestoredShards(snapshotDirectory, manifest, snapshot, id, opened, directories, progress);
            SeriesIndex? index = null;
            Checkpoint.IndexRecord? indexRecord = null;
            if (snapshot.Index is { } source)
            {
                index = new SeriesIndex(source.NextSeriesId);
                foreach (var s in source.Series)
                {
                    index.Restore(s.Id, s.Name, s.Columns);
                }

                indexRecord = source with { DatabaseId = id };
            }

            // The commit: no flush may snapshot the indexes or save a checkpoint between these steps.
            _flushGate.Wait();
            gated = true;
            lock (_writeLock)
            {
                if (index is not null)
                {
                    _indexes[id] = index;
                }

                if (shards.Count > 0)
                {
                    _shards[id] = shards;
                }

                // Sequence numbers handed out from now on stay above every restored one.
                _sequenceCounter = Math.Max(_sequenceCounter, snapshot.SequenceCounter);
                _checkpointSequenceCounter = Math.Max(_checkpointSequenceCounter, snapshot.SequenceCounter);
            }

            if (indexRecord is not null)
            {
                _checkpointIndexes = [.. _checkpointIndexes, indexRecord];
            }

            checkpointSaved = true;
            SaveCheckpoint();
            progress($"checkpoint written: {shards.Count} shards, {index?.Count ?? 0} series");
            Meta.RestoreDatabase(name, id, snapshot.Users, snapshot.ContinuousQueries, snapshot.ShardSpaces);
        }
        catch (Exception e)
        {
            if (!gated)
            {
                _flushGate.Wait();
                gated = true;
            }

            RollBackRestore(id, opened, directories, checkpointSaved);
            if (e is StrataException and not SegmentCorruptException)
            {
                throw;
            }

            if (e is IOException or UnauthorizedAccessException or InvalidDataException or SegmentCorruptException)
            {
                throw StrataException.BadRequest($"Restore of {snapshotDirectory} failed: {e.Message}");
            }

            throw;
        }
        finally
        {
            if (gated)
            {
                _flushGate.Release();
            }

            _maintenance.Release();
        }

        progress($"restore complete: database {name} ({snapshot.Shards.Count} shards, {snapshot.Index?.Series.Count ?? 0} series, " +
            $"{snapshot.Users.Count} users, {snapshot.ContinuousQueries.Count} continuous queries, {snapshot.ShardSpaces.Count} shard spaces)");
    }

    /// <summary>Every check a restore makes before it changes anything; each failure is a 400 naming the problem.</summary>
    private (BackupManifest Manifest, DatabaseSnapshot Snapshot, string Name, long Bytes) VerifyDatabaseSnapshot(string directory, string? newName)
    {
        if (!Directory.Exists(directory))
        {
            throw StrataException.BadRequest($"Snapshot {directory} does not exist");
        }

        if (!BackupManifest.Exists(directory))
        {
            throw StrataException.BadRequest($"{directory} is not a database snapshot: it has no {BackupManifest.FileName}");
        }

        BackupManifest manifest;
        try
        {
            manifest = BackupManifest.Load(directory);
        }
        catch (InvalidDataException e)
        {
            throw StrataException.BadRequest($"Invalid snapshot {directory}: {e.Message}");
        }

        if (manifest.Kind == BackupManifest.NodeKind)
        {
            throw StrataException.BadRequest($"{directory} is a whole-node backup: restore it offline with --restore");
        }

        var name = newName ?? manifest.Database ?? string.Empty;
        if (name.Trim(' ').Length == 0)
        {
            throw StrataException.BadRequest("Unable to restore database without name");
        }

        if (name.Contains('%', StringComparison.Ordinal))
        {
            throw StrataException.BadRequest($"{name} isn't a valid db name");
        }

        if (Meta.FindDatabase(name) is not null)
        {
            throw StrataException.BadRequest($"Database {name} exists");
        }

        try
        {
            var bytes = manifest.VerifyFiles(directory);
            var snapshot = DatabaseSnapshot.Load(directory);
            if (snapshot.Database != manifest.Database)
            {
                throw new InvalidDataException($"{DatabaseSnapshot.FileName} holds database {snapshot.Database}, the manifest names {manifest.Database}");
            }

            var expected = snapshot.ExpectedFiles();
            foreach (var file in expected)
            {
                _ = manifest.Find(file) ?? throw new InvalidDataException($"{file}: not listed in {BackupManifest.FileName}");
            }

            if (expected.Count != manifest.Files.Count)
            {
                throw new InvalidDataException($"{BackupManifest.FileName} lists files that {DatabaseSnapshot.FileName} does not use");
            }

            foreach (var space in snapshot.ShardSpaces)
            {
                try
                {
                    space.Validate();
                }
                catch (StrataException e)
                {
                    throw new InvalidDataException($"shard space {space.Name}: {e.Message}");
                }
            }

            foreach (var shard in snapshot.Shards)
            {
                foreach (var number in shard.Segments)
                {
                    using (SegmentReader.Open(Path.Combine(directory, DatabaseSnapshot.SegmentPath(shard.Id, number)), number))
                    {
                    }
                }
            }

            return (manifest, snapshot, name, bytes);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or SegmentCorruptException)
        {
            throw StrataException.BadRequest($"Invalid snapshot {directory}: {e.Message}");
        }
    }

    /// <summary>
    /// Copies the snapshot's segments into new shard directories under new shard ids and segment numbers (so every
    /// later flush of these shards gets a higher number, as tombstones require), checking each copy against the
    /// manifest, and builds the shards with their remapped tombstones. Nothing is registered yet.
    /// </summary>
    private SortedDictionary<(long Start, string Space), Shard> CopyRestoredShards(
        string snapshotDirectory, BackupManifest manifest, DatabaseSnapshot snapshot, uint databaseId,
        List<SegmentReader> opened, List<string> directories, Action<string> progress)
    {
        var shards = new SortedDictionary<(long Start, string Space), Shard>();
        var total = 0;
        foreach (var record in snapshot.Shards)
        {
            total += record.Segments.Count;
        }

        var copied = 0;
        foreach (var record in snapshot.Shards)
        {
            long shardId;
            lock (_writeLock)
            {
                shardId = _nextShardId++;
            }

            var directory = Path.Combine(_shardDirectory, shardId.ToString("D6", CultureInfo.InvariantCulture));
            directories.Add(directory);
            Directory.CreateDirectory(directory);
            var numbers = new List<long>(record.Segments.Count);
            var segments = new List<SegmentReader>(record.Segments.Count);
            foreach (var oldNumber in record.Segments)
            {
                var number = Interlocked.Increment(ref _nextFileNumber) - 1;
                var relative = DatabaseSnapshot.SegmentPath(record.Id, oldNumber);
                var path = Path.Combine(directory, SegmentFormat.FileName(number));
                var (size, crc) = FileChecksum.Copy(Path.Combine(snapshotDirectory, relative), path);
                var expected = manifest.Find(relative)!;
                if (size != expected.Size || crc != expected.Crc32C)
                {
                    throw new InvalidDataException($"{relative}: changed while it was being restored");
                }

                var segment = SegmentReader.Open(path, number);
                opened.Add(segment);
                segments.Add(segment);
                numbers.Add(number);
                copied++;
                progress($"[{copied}/{total}] {relative} -> {DatabaseSnapshot.SegmentPath(shardId, number)} ({size} bytes)");
            }

            DirectorySync.Fsync(directory);
            var shard = new Shard(shardId, databaseId, record.Space, record.StartMicros, record.EndMicros, directory);
            shard.LoadSegments(segments);
            shard.LoadTombstones(RemapTombstones(record, numbers));
            shards[(record.StartMicros, record.Space)] = shard;
        }

        DirectorySync.Fsync(_shardDirectory);
        return shards;
    }

    /// <summary>
    /// A tombstone masks segments numbered up to its bound; with new numbers the bound becomes the new number of the
    /// newest old segment it covered. One that covered none of the restored segments masks nothing and is dropped.
    /// </summary>
    private static List<Tombstone> RemapTombstones(Checkpoint.ShardRecord record, List<long> newNumbers)
    {
        var result = new List<Tombstone>();
        foreach (var tombstone in record.Tombstones ?? [])
        {
            long through = 0;
            for (var i = 0; i < record.Segments.Count; i++)
            {
                if (record.Segments[i] <= tombstone.SegmentsThrough)
                {
                    through = newNumbers[i];
                }
            }

            if (through > 0)
            {
                result.Add(tombstone with { SegmentsThrough = through });
            }
        }

        return result;
    }

    /// <summary>Undoes a restore that failed before its metadata commit. The reserved database id stays unused.</summary>
    private void RollBackRestore(uint id, List<SegmentReader> opened, List<string> directories, bool checkpointSaved)
    {
        if (id != 0)
        {
            lock (_writeLock)
            {
                _indexes.Remove(id);
                _shards.Remove(id);
            }

            _checkpointIndexes = _checkpointIndexes.FindAll(r => r.DatabaseId != id);
        }

        foreach (var segment in opened)
        {
            segment.Release();
        }

        if (checkpointSaved)
        {
            try
            {
                SaveCheckpoint();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The checkpoint still lists the shards, but under a database id the metadata never had: start-up skips them.
                StorageLog.FlushFailed(_logger, e);
            }
        }

        foreach (var directory in directories)
        {
            TryDeleteDirectory(directory);
        }
    }
}
