using System.Collections.Immutable;
using Strata.Core;
using Strata.Storage.Backup;
using Strata.Storage.IO;
using Strata.Storage.Meta;
using Strata.Storage.Segments;
using Strata.Storage.Shards;

namespace Strata.Storage;

/// <summary>
/// Online backups (docs/format/backup.md). Both kinds flush the memtables and then copy immutable segment files
/// while <see cref="_maintenance"/> holds off compaction and the file deletes of dropped shards. Flushes go on
/// during the copy (they only add segments), so writers are never blocked by a backup; what they write after the
/// flush point is simply not part of the snapshot.
/// </summary>
public sealed partial class StorageEngine
{
    /// <summary>
    /// Writes a consistent snapshot of the whole node into <paramref name="target"/> (a new or empty directory):
    /// meta.state, checkpoint.state and every segment the checkpoint lists, then manifest.state. Restore it into an
    /// empty data directory of a stopped server with <see cref="Restore"/>.
    /// </summary>
    public void Backup(string target, Action<string> progress)
    {
        var existed = PrepareBackupTarget(target);
        _maintenance.Wait();
        try
        {
            // The checkpoint of the flush point, kept in memory: the one on disk changes with every later flush.
            Checkpoint checkpoint;
            _flushGate.Wait();
            try
            {
                checkpoint = FlushLocked();
            }
            finally
            {
                _flushGate.Release();
            }

            var files = new List<(string Source, string Relative)>
            {
                (Path.Combine(_dataDirectory, MetaStore.FileName), MetaStore.FileName),
            };
            foreach (var shard in checkpoint.Shards)
            {
                foreach (var number in shard.Segments)
                {
                    var relative = DatabaseSnapshot.SegmentPath(shard.Id, number);
                    files.Add((Path.Combine(_dataDirectory, relative), relative));
                }
            }

            var manifest = new BackupManifest { Kind = BackupManifest.NodeKind, CreatedMicros = Clock.NowMicros() };
            var bytes = CopyIntoBackup(target, files, manifest, progress);
            checkpoint.Save(target);
            bytes += AddToManifest(target, Checkpoint.FileName, manifest, files.Count + 1, progress);
            manifest.Save(target);
            progress($"backup complete: {files.Count + 1} files, {bytes} bytes, {checkpoint.Shards.Count} shards");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            RemovePartialBackup(target, existed);
            throw StrataException.BadRequest($"Backup to {target} failed: {e.Message}");
        }
        finally
        {
            _maintenance.Release();
        }
    }

    /// <summary>
    /// Writes a snapshot of one database into <paramref name="target"/>: its segments as of a flush (every write
    /// acknowledged before the flush point is in them), database.state with its metadata, series index, shards and
    /// tombstones as of that same point, then manifest.state. Restore it online with <see cref="RestoreDatabase"/>.
    /// </summary>
    public void BackupDatabase(string name, string target, Action<string> progress)
    {
        var database = Meta.FindDatabase(name) ?? throw StrataException.BadRequest($"Database {name} doesn't exist");
        var existed = PrepareBackupTarget(target);
        _maintenance.Wait();
        try
        {
            List<(Shard Shard, ImmutableArray<Tombstone> Tombstones)> captured = [];
            List<ImmutableArray<SegmentReader>> segmentsAtFlush = [];
            long sequenceCounter;
            Checkpoint.IndexRecord? indexRecord;
            _flushGate.Wait();
            try
            {
                FlushLocked(atFreeze: () =>
                {
                    if (_shards.TryGetValue(database.Id, out var shards))
                    {
                        foreach (var shard in shards.Values)
                        {
                            captured.Add((shard, shard.Tombstones));
                        }
                    }
                });

                // Compaction is held off and the next flush waits for the gate: these are the flush point's segments.
                captured.Sort((a, b) => a.Shard.Id.CompareTo(b.Shard.Id));
                foreach (var (shard, _) in captured)
                {
                    segmentsAtFlush.Add(shard.Segments);
                }

                sequenceCounter = _checkpointSequenceCounter;
                indexRecord = _checkpointIndexes.Find(r => r.DatabaseId == database.Id);
            }
            finally
            {
                _flushGate.Release();
            }

            var export = Meta.ExportDatabase(name);
            if (export is null || export.Database.Id != database.Id)
            {
                throw StrataException.BadRequest($"Database {name} was dropped during the backup");
            }

            var snapshot = new DatabaseSnapshot
            {
                Database = name,
                SequenceCounter = sequenceCounter,
                Users = export.Users,
                ContinuousQueries = export.ContinuousQueries,
                ShardSpaces = export.ShardSpaces,
                Index = indexRecord,
            };

            var files = new List<(string Source, string Relative)>();
            for (var i = 0; i < captured.Count; i++)
            {
                var (shard, tombstones) = captured[i];
                var segments = segmentsAtFlush[i];
                if (segments.IsEmpty)
                {
                    continue;
                }

                var numbers = new List<long>(segments.Length);
                foreach (var segment in segments)
                {
                    numbers.Add(segment.Number);
                    files.Add((segment.Path, DatabaseSnapshot.SegmentPath(shard.Id, segment.Number)));
                }

                snapshot.Shards.Add(new Checkpoint.ShardRecord(shard.Id, database.Id, shard.Space, shard.StartMicros, shard.EndMicros, numbers, [.. tombstones]));
            }

            progress($"flushed: snapshot of database {name} with {snapshot.Shards.Count} shards and {snapshot.Index?.Series.Count ?? 0} series");
            var manifest = new BackupManifest { Kind = BackupManifest.DatabaseKind, Database = name, CreatedMicros = Clock.NowMicros() };
            long bytes;
            try
            {
                bytes = CopyIntoBackup(target, files, manifest, progress);
            }
            catch (Exception e) when ((e is IOException or UnauthorizedAccessException) && Meta.FindDatabase(name)?.Id != database.Id)
            {
                throw StrataException.BadRequest($"Database {name} was dropped during the backup");
            }

            snapshot.Save(target);
            bytes += AddToManifest(target, DatabaseSnapshot.FileName, manifest, files.Count + 1, progress);
            manifest.Save(target);
            progress($"backup complete: database {name}, {files.Count + 1} files, {bytes} bytes, {snapshot.Shards.Count} shards");
        }
        catch (StrataException)
        {
            RemovePartialBackup(target, existed);
            throw;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            RemovePartialBackup(target, existed);
            throw StrataException.BadRequest($"Backup to {target} failed: {e.Message}");
        }
        finally
        {
            _maintenance.Release();
        }
    }

    /// <summary>
    /// Refuses a target that is a file, a non-empty directory or inside the data directory, then creates it and
    /// checks that a file can be written there, so a bad path is a 400 before any progress is reported. Returns
    /// whether the directory existed before.
    /// </summary>
    private bool PrepareBackupTarget(string target)
    {
        if (File.Exists(target) || (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any()))
        {
            throw StrataException.BadRequest($"Backup target {target} exists and is not empty");
        }

        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        var data = Path.TrimEndingDirectorySeparator(Path.GetFullPath(_dataDirectory));
        if (full == data || full.StartsWith(data + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw StrataException.BadRequest($"Backup target {target} is inside the data directory");
        }

        var existed = Directory.Exists(target);
        try
        {
            Directory.CreateDirectory(target);
            var probe = Path.Combine(target, ".probe");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            RemovePartialBackup(target, existed);
            throw StrataException.BadRequest($"Cannot write backup to {target}: {e.Message}");
        }

        return existed;
    }

    /// <summary>
    /// Copies files into the backup, recording each one's size and CRC32C in the manifest; returns the bytes copied.
    /// One more file, the state written last (<see cref="AddToManifest"/>), is counted in the progress lines.
    /// </summary>
    private static long CopyIntoBackup(string target, List<(string Source, string Relative)> files, BackupManifest manifest, Action<string> progress)
    {
        Directory.CreateDirectory(target);
        var directories = new HashSet<string>(StringComparer.Ordinal) { target };
        var total = files.Count + 1;
        long bytes = 0;
        for (var i = 0; i < files.Count; i++)
        {
            var (source, relative) = files[i];
            var destination = Path.Combine(target, relative);
            var directory = Path.GetDirectoryName(destination)!;
            if (directories.Add(directory))
            {
                Directory.CreateDirectory(directory);
            }

            var (size, crc) = FileChecksum.Copy(source, destination);
            manifest.Files.Add(new BackupManifest.FileRecord(relative, size, crc));
            bytes += size;
            progress($"[{i + 1}/{total}] {relative} ({size} bytes)");
        }

        foreach (var directory in directories)
        {
            DirectorySync.Fsync(directory);
        }

        return bytes;
    }

    /// <summary>Records a state file written into the backup (the last of <paramref name="total"/>); returns its size.</summary>
    private static long AddToManifest(string target, string relative, BackupManifest manifest, int total, Action<string> progress)
    {
        var (size, crc) = FileChecksum.Compute(Path.Combine(target, relative));
        manifest.Files.Add(new BackupManifest.FileRecord(relative, size, crc));
        progress($"[{total}/{total}] {relative} ({size} bytes)");
        return size;
    }

    /// <summary>Removes what a failed backup wrote: the whole target when it was created here, else its contents.</summary>
    private static void RemovePartialBackup(string target, bool existed)
    {
        try
        {
            if (!Directory.Exists(target))
            {
                return;
            }

            if (!existed)
            {
                Directory.Delete(target, recursive: true);
                return;
            }

            foreach (var entry in Directory.EnumerateFileSystemEntries(target))
            {
                if (Directory.Exists(entry))
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The snapshot has no manifest, so no restore accepts it; the operator sees the error and the directory.
        }
    }
}
