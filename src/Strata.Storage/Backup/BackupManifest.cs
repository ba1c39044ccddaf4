using System.Text.Json;
using Strata.Storage.IO;

namespace Strata.Storage.Backup;

/// <summary>
/// <c>manifest.state</c>, the last file a backup writes (docs/format/backup.md): what kind of snapshot the directory
/// holds and every other file in it with its size and whole-file CRC32C, so a restore can verify the snapshot
/// before it changes anything. A directory without one is an interrupted backup or one made before manifests.
/// </summary>
public sealed class BackupManifest
{
    public const string FileName = "manifest.state";

    /// <summary><see cref="Kind"/> of a whole-node backup (meta.state, checkpoint.state and every segment).</summary>
    public const string NodeKind = "node";

    /// <summary><see cref="Kind"/> of a one-database snapshot (database.state and that database's segments).</summary>
    public const string DatabaseKind = "database";

    private static ReadOnlySpan<byte> Magic => "STRATBAK"u8;

    private const ushort Version = 1;

    public string Kind { get; set; } = NodeKind;

    /// <summary>The database of a <see cref="DatabaseKind"/> snapshot; null for a node backup.</summary>
    public string? Database { get; set; }

    /// <summary>When the snapshot was taken, µs since the epoch.</summary>
    public long CreatedMicros { get; set; }

    /// <summary>Every file of the snapshot but the manifest, '/'-separated paths relative to the snapshot directory.</summary>
    public List<FileRecord> Files { get; set; } = [];

    public sealed record FileRecord(string Path, long Size, uint Crc32C);

    public static bool Exists(string directory) => File.Exists(System.IO.Path.Combine(directory, FileName));

    /// <summary>Loads and checks the manifest; throws <see cref="InvalidDataException"/> naming what is wrong.</summary>
    public static BackupManifest Load(string directory)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        try
        {
            var payload = Checksummed.Unwrap(File.ReadAllBytes(path), Magic, Version, out _);
            var manifest = JsonSerializer.Deserialize(payload.Span, StateJson.Default.BackupManifest) ?? throw new InvalidDataException("empty document");
            if (manifest.Kind is not (NodeKind or DatabaseKind))
            {
                throw new InvalidDataException($"unknown kind {manifest.Kind}");
            }

            foreach (var file in manifest.Files)
            {
                if (!IsSafeRelative(file.Path))
                {
                    throw new InvalidDataException($"file path {file.Path} leaves the snapshot directory");
                }
            }

            return manifest;
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or IOException)
        {
            throw new InvalidDataException($"cannot read {FileName}: {e.Message}", e);
        }
    }

    /// <summary>Writes the manifest atomically (temp file, fsync, rename).</summary>
    public void Save(string directory)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(this, StateJson.Default.BackupManifest);
        AtomicFile.Write(System.IO.Path.Combine(directory, FileName), Checksummed.Wrap(Magic, Version, json));
    }

    /// <summary>The record of <paramref name="path"/>, or null when the manifest does not list it.</summary>
    public FileRecord? Find(string path) => Files.Find(f => f.Path == path);

    /// <summary>
    /// Reads every listed file and compares its size and CRC32C with the manifest. Returns the total size; throws
    /// <see cref="InvalidDataException"/> naming the first file that is missing or differs.
    /// </summary>
    public long VerifyFiles(string directory, Action<string>? progress = null)
    {
        long total = 0;
        for (var i = 0; i < Files.Count; i++)
        {
            var file = Files[i];
            var path = System.IO.Path.Combine(directory, file.Path);
            if (!File.Exists(path))
            {
                throw new InvalidDataException($"{file.Path}: missing");
            }

            var (size, crc) = FileChecksum.Compute(path);
            if (size != file.Size)
            {
                throw new InvalidDataException($"{file.Path}: size {size}, the manifest says {file.Size}");
            }

            if (crc != file.Crc32C)
            {
                throw new InvalidDataException($"{file.Path}: checksum mismatch");
            }

            total += size;
            progress?.Invoke($"verified [{i + 1}/{Files.Count}] {file.Path} ({size} bytes)");
        }

        return total;
    }

    private static bool IsSafeRelative(string path)
    {
        if (path.Length == 0 || path[0] == '/' || path.Contains('\\', StringComparison.Ordinal) || System.IO.Path.IsPathRooted(path))
        {
            return false;
        }

        foreach (var part in path.Split('/'))
        {
            if (part is "" or "." or "..")
            {
                return false;
            }
        }

        return true;
    }
}
