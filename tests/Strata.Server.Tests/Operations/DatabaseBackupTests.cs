using System.Net;
using System.Text.Json;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Operations;

/// <summary>
/// One-database backup and online restore: <c>POST /cluster/backup?path=&amp;db=</c> and
/// <c>POST /cluster/restore?path=[&amp;db=]</c> (docs/format/backup.md).
/// </summary>
public sealed class DatabaseBackupTests : IDisposable
{
    private readonly List<string> _directories = [];

    private string NewBackupDir()
    {
        var directory = Path.Combine(Path.GetTempPath(), "strata-tests", "dbbackup-" + Guid.NewGuid().ToString("N"));
        _directories.Add(directory);
        return directory;
    }

    public void Dispose()
    {
        foreach (var directory in _directories)
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
            else if (File.Exists(directory))
            {
                File.Delete(directory);
            }
        }
    }

    private static string Escape(string path) => Uri.EscapeDataString(path);

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(TestServer server, string path)
    {
        using var response = await server.PostAsync(path, string.Empty);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> BackupAsync(TestServer server, string database, string target)
    {
        var (status, body) = await PostAsync(server, TestServer.Auth($"/cluster/backup?path={Escape(target)}&db={Escape(database)}"));
        status.ShouldBe(HttpStatusCode.OK, body);
        body.ShouldContain($"backup complete: database {database}");
        return body;
    }

    private static async Task<string> RestoreAsync(TestServer server, string snapshot, string? name = null)
    {
        var (status, body) = await PostAsync(server, TestServer.Auth($"/cluster/restore?path={Escape(snapshot)}" + (name is null ? string.Empty : "&db=" + Escape(name))));
        status.ShouldBe(HttpStatusCode.OK, body);
        body.TrimEnd('\n').Split('\n')[^1].ShouldStartWith($"restore complete: database {name ?? string.Empty}");
        return body;
    }

    private static async Task<string> GetTextAsync(TestServer server, string path)
    {
        using var response = await server.GetAsync(TestServer.Auth(path));
        return await TestServer.Expect(response, HttpStatusCode.OK);
    }

    /// <summary>Everything a client can see of a database: data, series, users, continuous queries, shard spaces.</summary>
    private static async Task<string> ViewAsync(TestServer server, string database)
    {
        var data = JsonSerializer.Serialize(await server.QueryAsync(database, "select * from /.*/"));
        var ascending = JsonSerializer.Serialize(await server.QueryAsync(database, "select * from /.*/ order asc"));
        var series = JsonSerializer.Serialize(await server.QueryAsync(database, "list series"));
        var queries = JsonSerializer.Serialize(await server.QueryAsync(database, "list continuous queries"));
        var users = await GetTextAsync(server, $"/db/{database}/users");
        var spaces = JsonDocument.Parse(await GetTextAsync(server, "/cluster/shard_spaces")).RootElement.EnumerateArray()
            .Where(s => s.GetProperty("database").GetString() == database)
            .Select(s => JsonSerializer.Serialize(s).Replace($"\"database\":\"{database}\"", "\"database\":\"*\"", StringComparison.Ordinal));
        return string.Join("\n", data, ascending, series, queries, users, string.Join(",", spaces));
    }

    /// <summary>db1 with two shard spaces, data in several segments and the memtable, a range delete, a user and a CQ.</summary>
    private static async Task SeedAsync(TestServer server)
    {
        await server.CreateDatabaseAsync("db1");
        await server.CreateDatabaseAsync("db2");
        using (var space = await server.PostAsync(TestServer.Auth("/cluster/shard_spaces/db1"), """{"name":"cpus","regex":"/^cpu/","retentionPolicy":"inf","shardDuration":"1d","replicationFactor":1,"split":1}"""))
        {
            await TestServer.Expect(space, HttpStatusCode.OK);
        }

        await server.WriteAsync("db1", """[{"name":"cpu","columns":["time","sequence_number","value","host"],"points":[[1399996800,1,10,"a"],[1399996815,1,2.5,"b"],[1400100000,1,7,"c"]]},{"name":"mem","columns":["time","v"],"points":[[1399996800,7],[1399996900,8]]}]""", "s");
        server.Host.Engine.Flush();
        await server.WriteAsync("db1", """[{"name":"cpu","columns":["time","value","flag"],"points":[[1399996830,30,true],[1399996845,31,false]]}]""", "s");
        server.Host.Engine.Flush();
        await server.QueryAsync("db1", "delete from mem where time < 1399996850s");
        await server.WriteAsync("db1", """[{"name":"cpu","columns":["time","sequence_number","value"],"points":[[1399996815,1,99]]},{"name":"disk","columns":["time","free"],"points":[[1399996860,"lots"]]}]""", "s");
        await server.QueryAsync("db1", "select * from cpu into copy.cpu");
        using (var user = await server.PostAsync(TestServer.Auth("/db/db1/users"), """{"name":"bob","password":"bobpass1","readFrom":"^cpu","writeTo":".*"}"""))
        {
            await TestServer.Expect(user, HttpStatusCode.OK);
        }

        await server.WriteAsync("db2", """[{"name":"other","columns":["time","v"],"points":[[1399996800,1],[1399996801,2]]}]""", "s");
    }

    [Fact]
    public async Task DatabaseBackup_DropAndRestoreOnline_ReturnsIdenticalResultsAndLeavesOtherDatabasesAlone()
    {
        var backup = NewBackupDir();
        await using var server = await TestServer.StartAsync();
        await SeedAsync(server);
        var before = await ViewAsync(server, "db1");
        var other = await ViewAsync(server, "db2");

        var progress = await BackupAsync(server, "db1", backup);
        progress.ShouldContain("database.state");
        progress.ShouldContain(".seg (");
        File.Exists(Path.Combine(backup, "manifest.state")).ShouldBeTrue();
        File.Exists(Path.Combine(backup, "meta.state")).ShouldBeFalse();

        using (var drop = await server.DeleteAsync(TestServer.Auth("/db/db1")))
        {
            drop.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        (await GetTextAsync(server, "/db")).ShouldBe("""[{"name":"db2"}]""");
        JsonSerializer.Serialize(await server.QueryAsync("db1", "list series")).ShouldContain("\"points\":[]");
        (await ViewAsync(server, "db2")).ShouldBe(other);

        var restored = await RestoreAsync(server, backup);
        restored.ShouldStartWith("verified snapshot of database db1");
        restored.ShouldContain("1 users, 1 continuous queries, 2 shard spaces");
        (await ViewAsync(server, "db1")).ShouldBe(before);
        (await ViewAsync(server, "db2")).ShouldBe(other);

        // The restored database takes writes, its users log in and its fan-out continuous query runs.
        await server.WriteAsync("db1", """[{"name":"cpu","columns":["time","value"],"points":[[1399996850,5]]}]""", "s");
        JsonSerializer.Serialize(await server.QueryAsync("db1", "select value from copy.cpu")).ShouldContain("1399996850000");
        using var bob = await server.GetAsync($"/db/db1/series?u=bob&p=bobpass1&q={Escape("select value from cpu limit 1")}");
        bob.StatusCode.ShouldBe(HttpStatusCode.OK);

        // Into another node: the same view, and sequence numbers the new node hands out stay above the restored ones.
        await using var fresh = await TestServer.StartAsync();
        await RestoreAsync(fresh, backup);
        (await ViewAsync(fresh, "db1")).ShouldBe(before);
        var restoredMax = MaxSequenceNumber(await fresh.QueryAsync("db1", "select * from /.*/"));
        await fresh.WriteAsync("db1", """[{"name":"cpu","columns":["time","value"],"points":[[1399996850,5]]}]""", "s");
        MaxSequenceNumber(await fresh.QueryAsync("db1", "select * from cpu")).ShouldBeGreaterThan(restoredMax);
    }

    private static long MaxSequenceNumber(JsonElement result) =>
        result.EnumerateArray().SelectMany(s => s.GetProperty("points").EnumerateArray()).Max(p => p[1].GetInt64());

    [Fact]
    public async Task DatabaseRestore_UnderAnotherName_SurvivesARestartAndACrash()
    {
        var backup = NewBackupDir();
        var dataDir = TestServer.NewDataDir();
        _directories.Add(dataDir);
        string original;
        await using (var server = await TestServer.StartAsync(dataDir: dataDir))
        {
            await SeedAsync(server);
            original = await ViewAsync(server, "db1");
            await BackupAsync(server, "db1", backup);
            await RestoreAsync(server, backup, "copy");
            (await ViewAsync(server, "copy")).ShouldBe(original);
            (await ViewAsync(server, "db1")).ShouldBe(original);
            await server.RestartAsync();
            (await ViewAsync(server, "copy")).ShouldBe(original);
            (await ViewAsync(server, "db1")).ShouldBe(original);
            (await GetTextAsync(server, "/db")).ShouldBe("""[{"name":"copy"},{"name":"db1"},{"name":"db2"}]""");
        }

        // A restore is durable as soon as it answers: SIGKILL right after it, then start again.
        using (var child = await ChildServer.StartAsync(dataDir))
        {
            using var response = await child.Client.PostAsync($"/cluster/restore?u=root&p=root&path={Escape(backup)}&db=again", null);
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
            text.ShouldContain("restore complete: database again");
            child.Kill();
        }

        await using (var server = await TestServer.StartAsync(dataDir: dataDir))
        {
            (await ViewAsync(server, "again")).ShouldBe(original);
            (await ViewAsync(server, "copy")).ShouldBe(original);
        }
    }

    [Fact]
    public async Task DatabaseRestore_RefusesATakenNameACorruptSnapshotAndNonAdmins_ChangingNothing()
    {
        var backup = NewBackupDir();
        await using var server = await TestServer.StartAsync();
        await SeedAsync(server);
        await BackupAsync(server, "db1", backup);
        var view = await ViewAsync(server, "db1");
        var databases = await GetTextAsync(server, "/db");
        var shards = await GetTextAsync(server, "/cluster/shards");
        var shardDirectories = Directory.GetDirectories(Path.Combine(server.DataDir, "shards")).Order().ToArray();

        async Task ExpectRefused(string query, HttpStatusCode status, string message)
        {
            var (code, body) = await PostAsync(server, query);
            code.ShouldBe(status, body);
            body.ShouldContain(message);
            (await GetTextAsync(server, "/db")).ShouldBe(databases);
            (await GetTextAsync(server, "/cluster/shards")).ShouldBe(shards);
            Directory.GetDirectories(Path.Combine(server.DataDir, "shards")).Order().ToArray().ShouldBe(shardDirectories);
        }

        var path = Escape(backup);
        await ExpectRefused(TestServer.Auth($"/cluster/restore?path={path}"), HttpStatusCode.BadRequest, "Database db1 exists");
        await ExpectRefused(TestServer.Auth($"/cluster/restore?path={path}&db=db2"), HttpStatusCode.BadRequest, "Database db2 exists");
        await ExpectRefused(TestServer.Auth($"/cluster/restore?path={path}&db="), HttpStatusCode.BadRequest, "Unable to restore database without name");
        await ExpectRefused(TestServer.Auth("/cluster/restore?path=relative"), HttpStatusCode.BadRequest, "Restore needs an absolute path parameter");
        await ExpectRefused(TestServer.Auth("/cluster/restore"), HttpStatusCode.BadRequest, "Restore needs an absolute path parameter");
        await ExpectRefused(TestServer.Auth($"/cluster/restore?path={Escape(backup + "-missing")}&db=x"), HttpStatusCode.BadRequest, "does not exist");
        await ExpectRefused(TestServer.Auth($"/cluster/restore?path={Escape(server.DataDir)}&db=x"), HttpStatusCode.BadRequest, "is not a database snapshot");

        // Not a cluster admin: the database user gets 401 as on every cluster-admin endpoint.
        await ExpectRefused($"/cluster/restore?u=bob&p=bobpass1&path={path}&db=x", HttpStatusCode.Unauthorized, "Invalid username/password");
        await ExpectRefused($"/cluster/backup?u=bob&p=bobpass1&path={Escape(NewBackupDir())}&db=db1", HttpStatusCode.Unauthorized, "Invalid username/password");
        await ExpectRefused($"/cluster/restore?u=root&p=wrong&path={path}&db=x", HttpStatusCode.Unauthorized, "Invalid username/password");

        // One flipped byte in the middle of a segment (a block, which opening the file does not read): refused.
        var segment = Directory.GetFiles(backup, "*.seg", SearchOption.AllDirectories).Order().First();
        var bytes = await File.ReadAllBytesAsync(segment);
        var original = bytes.ToArray();
        bytes[20] ^= 0x01;
        await File.WriteAllBytesAsync(segment, bytes);
        var relative = Path.GetRelativePath(backup, segment).Replace('\\', '/');
        await ExpectRefused(TestServer.Auth($"/cluster/restore?path={path}&db=x"), HttpStatusCode.BadRequest, $"Invalid snapshot {backup}: {relative}: checksum mismatch");

        // A truncated manifest, a database.state that does not match its manifest entry: refused too.
        await File.WriteAllBytesAsync(segment, original);
        var manifestPath = Path.Combine(backup, "manifest.state");
        var manifest = await File.ReadAllBytesAsync(manifestPath);
        await File.WriteAllBytesAsync(manifestPath, manifest[..^1]);
        await ExpectRefused(TestServer.Auth($"/cluster/restore?path={path}&db=x"), HttpStatusCode.BadRequest, "Invalid snapshot");
        await File.WriteAllBytesAsync(manifestPath, manifest);
        await File.AppendAllTextAsync(Path.Combine(backup, "database.state"), " ");
        await ExpectRefused(TestServer.Auth($"/cluster/restore?path={path}&db=x"), HttpStatusCode.BadRequest, "database.state: size");

        (await ViewAsync(server, "db1")).ShouldBe(view);
    }

    [Fact]
    public async Task DatabaseBackup_RefusesBadRequestsAndWholeNodeBackupsAreNotRestoredOnline()
    {
        await using var server = await TestServer.StartAsync();
        await SeedAsync(server);
        var target = NewBackupDir();
        var file = NewBackupDir();
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, "not a directory");
        var cases = new (string Query, string Message)[]
        {
            ($"/cluster/backup?path={Escape(Path.Combine(file, "sub"))}&db=db1", $"Cannot write backup to {Path.Combine(file, "sub")}: "),
            ($"/cluster/backup?path={Escape(file)}", "exists and is not empty"),
            ($"/cluster/backup?path={Escape(target)}&db=nope", "Database nope doesn't exist"),
            ("/cluster/backup?path=rel&db=db1", "Backup needs an absolute path parameter"),
            ($"/cluster/backup?path={Escape(server.DataDir)}&db=db1", "exists and is not empty"),
            ($"/cluster/backup?path={Escape(Path.Combine(server.DataDir, "inside"))}&db=db1", "is inside the data directory"),
        };
        foreach (var (query, message) in cases)
        {
            var (status, body) = await PostAsync(server, TestServer.Auth(query));
            status.ShouldBe(HttpStatusCode.BadRequest, query);
            body.ShouldContain(message);
        }

        Directory.Exists(target).ShouldBeFalse();
        Directory.Exists(Path.Combine(server.DataDir, "inside")).ShouldBeFalse();

        var node = NewBackupDir();
        var (ok, progress) = await PostAsync(server, TestServer.Auth($"/cluster/backup?path={Escape(node)}"));
        ok.ShouldBe(HttpStatusCode.OK, progress);
        File.Exists(Path.Combine(node, "manifest.state")).ShouldBeTrue();
        var (refused, answer) = await PostAsync(server, TestServer.Auth($"/cluster/restore?path={Escape(node)}&db=x"));
        refused.ShouldBe(HttpStatusCode.BadRequest);
        answer.ShouldBe($"{node} is a whole-node backup: restore it offline with --restore");
    }

    [Fact]
    public async Task DatabaseBackup_WritesContinueAndEveryAcknowledgedPointIsInTheSnapshotOrWrittenAfterIt()
    {
        var backup = NewBackupDir();
        await using var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("db1");
        const long Base = 1_400_000_000;

        // Some flushed data first, so the backup has segments to copy while the writer runs.
        var seed = string.Join(",", Enumerable.Range(0, 20_000).Select(i => $"[{Base - 100_000 + i},{i}]"));
        await server.WriteAsync("db1", $$"""[{"name":"seed","columns":["time","v"],"points":[{{seed}}]}]""", "s");
        server.Host.Engine.Flush();

        var acknowledged = 0;
        var ackedBeforeBackup = -1;
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await server.WriteAsync("db1", $$"""[{"name":"load","columns":["time","v"],"points":[[{{Base + i}},{{i}}]]}]""", "s");
                Volatile.Write(ref acknowledged, i + 1);
            }
        });

        while (Volatile.Read(ref acknowledged) < 50)
        {
            await Task.Delay(5);
        }

        ackedBeforeBackup = Volatile.Read(ref acknowledged);
        await BackupAsync(server, "db1", backup);
        var ackedAfterBackup = Volatile.Read(ref acknowledged);
        while (Volatile.Read(ref acknowledged) < ackedAfterBackup + 20)
        {
            await Task.Delay(5);
        }

        await stop.CancelAsync();
        await writer;
        var total = Volatile.Read(ref acknowledged);

        static List<long> Values(JsonElement result) =>
            result.GetArrayLength() == 0 ? [] : [.. result[0].GetProperty("points").EnumerateArray().Select(p => p[2].GetInt64()).Order()];

        // The server kept every acknowledged point.
        Values(await server.QueryAsync("db1", "select v from load")).ShouldBe(Enumerable.Range(0, total).Select(i => (long)i));

        // The snapshot holds a prefix of the write order that includes everything acknowledged before the backup started.
        await RestoreAsync(server, backup, "snap");
        var snapshot = Values(await server.QueryAsync("snap", "select v from load"));
        snapshot.Count.ShouldBeGreaterThanOrEqualTo(ackedBeforeBackup);
        snapshot.Count.ShouldBeLessThanOrEqualTo(ackedAfterBackup + 1);
        snapshot.ShouldBe(Enumerable.Range(0, snapshot.Count).Select(i => (long)i));
        Values(await server.QueryAsync("snap", "select v from seed")).Count.ShouldBe(20_000);
    }
}
