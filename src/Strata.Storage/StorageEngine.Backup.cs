using Strata.Core;
using Strata.Storage.Meta;
using Strata.Storage.Segments;

namespace Strata.Storage;

public sealed partial class StorageEngine
{
    /// <summary>
    /// Writes a consistent snapshot of the node into <paramref name="target"/> (a new directory) while the server
    /// runs: memtables are flushed, then — with flush, compaction and retention held off — the metadata, the
    /// checkpoint and every segment it lists are copied. Segments are immutable, so the copy is exactly the
    /// checkpoint's state; writes acknowledged after the flush are not part of it. Restore with <see cref="Restore"/>.
    /// </summary>
    public void Backup(string target, Action<string> progress)
    {
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw StrataException.BadRequest($"Backup target {target} exists and is not empty");
        }

        _maintenance.Wait();
        try
        {
            FlushLocked();
            SaveCheckpoint();
            Directory.CreateDirectory(target);
            var files = new List<string> { MetaStore.FileName, Checkpoint.FileName };
            var checkpoint = Checkpoint.Load(_dataDirectory);
            foreach (var shard in checkpoint.Shards)
            {
                foreach (var number in shard.Segments)
                {
                    files.Add(Path.Combine("shards", shard.Id.ToString("D6", System.Globalization.CultureInfo.InvariantCulture), SegmentFormat.FileName(number)));
                }
            }

            long bytes = 0;
            for (var i = 0; i < files.Count; i++)
            {
                var source = Path.Combine(_dataDirectory, files[i]);
                var destination = Path.Combine(target, files[i]);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(source, destination);
                var length = new FileInfo(destination).Length;
                bytes += length;
                progress($"[{i + 1}/{files.Count}] {files[i]} ({length} bytes)");
            }

            progress($"backup complete: {files.Count} files, {bytes} bytes, {checkpoint.Shards.Count} shards");
        }
        finally
        {
            _maintenance.Release();
        }
    }

    /// <summary>
    /// Restores a backup into an empty data directory (the server is not running on it): every file is verified
    /// (checksums of metadata, checkpoint and segment footers and indexes) before it is copied.
    /// </summary>
    public static void Restore(string backup, string dataDirectory, Action<string> progress)
    {
        if (Directory.Exists(dataDirectory) && Directory.EnumerateFileSystemEntries(dataDirectory).Any())
        {
            throw new IOException($"cannot restore into {dataDirectory}: the directory is not empty");
        }

        MetaStore.Open(backup);
        var checkpoint = Checkpoint.Load(backup);
        var files = new List<string> { MetaStore.FileName, Checkpoint.FileName };
        foreach (var shard in checkpoint.Shards)
        {
            foreach (var number in shard.Segments)
            {
                var relative = Path.Combine("shards", shard.Id.ToString("D6", System.Globalization.CultureInfo.InvariantCulture), SegmentFormat.FileName(number));
                using (SegmentReader.Open(Path.Combine(backup, relative), number))
                {
                }

                files.Add(relative);
            }
        }

        Directory.CreateDirectory(dataDirectory);
        for (var i = 0; i < files.Count; i++)
        {
            var destination = Path.Combine(dataDirectory, files[i]);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(Path.Combine(backup, files[i]), destination);
            using (var copy = new FileStream(destination, FileMode.Open, FileAccess.ReadWrite))
            {
                copy.Flush(flushToDisk: true);
            }

            progress($"[{i + 1}/{files.Count}] {files[i]}");
        }

        IO.DirectorySync.Fsync(dataDirectory);
        progress($"restore complete: {files.Count} files into {dataDirectory}");
    }
}
