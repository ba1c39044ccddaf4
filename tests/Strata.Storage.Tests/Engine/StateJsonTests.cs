using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Strata.Storage.Backup;
using Strata.Storage.IO;
using Strata.Storage.Meta;
using Strata.Storage.Shards;

namespace Strata.Storage.Tests.Engine;

/// <summary>
/// The state files are read and written with build-time generated JSON. Files written before that (by the
/// reflection-based serializer) must read back the same, and new files must be byte for byte what it wrote.
/// </summary>
public class StateJsonTests
{
    private static readonly ShardSpace Space = new("db", "hot", "/^cpu/i", "30d", "1d", 1, 1);

    [Fact]
    public void MetaState_IsWrittenAndReadAsTheReflectionSerializerDid()
    {
        var state = new MetaState
        {
            NextDatabaseId = 7,
            Databases = [new DatabaseInfo("db", 3), new DatabaseInfo("ünï", 6)],
            ClusterAdmins = [new ClusterAdmin("root", "$2a$10$abc")],
            DatabaseUsers = [new DatabaseUser("db", "paul", "$2a$10$def", true, ".*", "^cpu")],
            ContinuousQueries = [new ContinuousQuery("db", 1, "select * from cpu into cpu.copy", "select * from cpu into cpu.copy", null), new ContinuousQuery("db", 2, "t", "s", 1_600_000_000_000_000)],
            ShardSpaces = [Space, ShardSpace.DefaultFor("db")],
        };
        SameAsReflection(state, StateJson.Default.MetaState);
    }

    [Fact]
    public void Checkpoint_IsWrittenAndReadAsTheReflectionSerializerDid()
    {
        var checkpoint = new Checkpoint
        {
            WalCoveredThrough = 12,
            SequenceCounter = 345,
            NextFileNumber = 9,
            NextShardId = 4,
            Shards = [new Checkpoint.ShardRecord(1, 3, "default", 0, 604_800_000_000, [1, 5], [new Tombstone(2, 10, 20, 5)]), new Checkpoint.ShardRecord(2, 3, "hot", 5, 6, [])],
            Indexes = [new Checkpoint.IndexRecord(3, 3, [new Checkpoint.SeriesRecord(1, "cpu", ["value", "host"]), new Checkpoint.SeriesRecord(2, "mem", [])])],
        };
        SameAsReflection(checkpoint, StateJson.Default.Checkpoint);
    }

    [Fact]
    public void BackupFiles_AreWrittenAndReadAsTheReflectionSerializerDid()
    {
        SameAsReflection(new BackupManifest { Database = "db", CreatedMicros = 99, Files = [new BackupManifest.FileRecord("shards/000001/00000001.seg", 4096, 0xDEADBEEF)] }, StateJson.Default.BackupManifest);
        SameAsReflection(new DatabaseSnapshot
        {
            Database = "db",
            SequenceCounter = 5,
            Users = [new DatabaseUser("db", "u", "h", false, "", "")],
            ShardSpaces = [Space],
            Index = new Checkpoint.IndexRecord(3, 2, [new Checkpoint.SeriesRecord(1, "cpu", ["v"])]),
            Shards = [new Checkpoint.ShardRecord(1, 3, "hot", 0, 1, [1])],
        }, StateJson.Default.DatabaseSnapshot);
    }

    private static void SameAsReflection<T>(T value, JsonTypeInfo<T> generated)
        where T : class
    {
        var reflection = JsonSerializer.SerializeToUtf8Bytes(value, JsonSerializerOptions.Default);
        JsonSerializer.SerializeToUtf8Bytes(value, generated).ShouldBe(reflection);
        var read = JsonSerializer.Deserialize(reflection, generated)!;
        JsonSerializer.SerializeToUtf8Bytes(read, generated).ShouldBe(reflection);
    }
}
