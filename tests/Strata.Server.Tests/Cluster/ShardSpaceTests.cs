using System.Net;
using System.Text;
using System.Text.Json;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Cluster;

/// <summary>Shard spaces, database configs, retention and the cluster endpoints (reference http-api.md §4.10–4.17, §8).</summary>
public class ShardSpaceTests
{
    private static async Task<(HttpStatusCode Status, string Body)> Root(TestServer server, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, TestServer.Auth(path));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await server.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FirstWrite_CreatesTheDefaultSpaceAndEpochAlignedSevenDayShards()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("db1");
        (await Root(server, HttpMethod.Get, "/cluster/shard_spaces")).Body.ShouldBe("[]");
        await server.WriteAsync("db1", """[{"name":"cpu","columns":["time","v"],"points":[[1419811200,1]]}]""", "s");
        (await Root(server, HttpMethod.Get, "/cluster/shard_spaces")).Body
            .ShouldBe("""[{"name":"default","database":"db1","regex":"/.*/","retentionPolicy":"inf","shardDuration":"7d","replicationFactor":1,"split":1}]""");
        // 2014-12-29 lies in the bucket that starts on Thursday 2014-12-25.
        (await Root(server, HttpMethod.Get, "/cluster/shards")).Body
            .ShouldBe("""[{"database":"db1","endTime":1420070400,"id":1,"serverIds":[1],"spaceName":"default","startTime":1419465600}]""");
    }

    [Fact]
    public async Task NewestSpaceWins_AndListSeriesIncludeSpacesShowsIt()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("db1");
        (await Root(server, HttpMethod.Post, "/cluster/shard_spaces/db1", """{"name":"all","regex":"/.*/","retentionPolicy":"inf","shardDuration":"1d","replicationFactor":1,"split":1}""")).Status.ShouldBe(HttpStatusCode.OK);
        (await Root(server, HttpMethod.Post, "/cluster/shard_spaces/db1", """{"name":"cpus","regEx":"/^cpu/","retentionPolicy":"inf","shardDuration":"1h","replicationFactor":1,"split":1}""")).Status.ShouldBe(HttpStatusCode.OK);
        await server.WriteAsync("db1", """[{"name":"cpu.a","columns":["time","v"],"points":[[1419811200,1]]},{"name":"mem","columns":["time","v"],"points":[[1419811200,2]]}]""", "s");
        var list = await server.QueryAsync("db1", "list series include spaces");
        JsonSerializer.Serialize(list).ShouldBe("""[{"name":"list_series_result","columns":["time","name","space"],"points":[[0,"cpu.a","cpus"],[0,"mem","all"]]}]""");
        var spaces = (await Root(server, HttpMethod.Get, "/cluster/shard_spaces")).Body;
        spaces.ShouldStartWith("""[{"name":"cpus",""");
        var shards = JsonDocument.Parse((await Root(server, HttpMethod.Get, "/cluster/shards")).Body).RootElement;
        shards.EnumerateArray().Select(s => (s.GetProperty("spaceName").GetString(), s.GetProperty("endTime").GetInt64() - s.GetProperty("startTime").GetInt64()))
            .OrderBy(x => x.Item1).ShouldBe([("all", 86400L), ("cpus", 3600L)]);
    }

    [Theory]
    [InlineData("""{"name":"","regex":"/.*/"}""", "Shard space must have a name")]
    [InlineData("""{"name":"x","regex":""}""", "A regex is required for a shard space")]
    [InlineData("""{"name":"x","regex":"/(/"}""", "Error parsing regex: ")]
    [InlineData("""{"name":"x","regex":"/foo"}""", "Error parsing regex: ")]
    [InlineData("""{"name":"x","regex":"/.*/","shardDuration":"7"}""", "Invalid duration 7")]
    [InlineData("""{"name":"x","regex":"/.*/","retentionPolicy":"-1d"}""", "Invalid duration -1d")]
    public async Task CreateSpace_ValidatesLikeZeroEightWithStrataRules(string body, string messageStart)
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("db1");
        var (status, text) = await Root(server, HttpMethod.Post, "/cluster/shard_spaces/db1", body);
        status.ShouldBe(HttpStatusCode.BadRequest);
        text.ShouldStartWith(messageStart);
    }

    [Fact]
    public async Task SpaceErrors_ExistsMissingDatabaseUpdate406AndBadJson500()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("db1");
        const string Space = """{"name":"s","regex":"/.*/"}""";
        (await Root(server, HttpMethod.Post, "/cluster/shard_spaces/db1", Space)).Status.ShouldBe(HttpStatusCode.OK);
        (await Root(server, HttpMethod.Post, "/cluster/shard_spaces/db1", Space)).ShouldBe((HttpStatusCode.BadRequest, "Shard space s exists for db db1"));
        (await Root(server, HttpMethod.Post, "/cluster/shard_spaces/nodb", Space)).ShouldBe((HttpStatusCode.BadRequest, "Database 'nodb' doesn't exist."));
        (await Root(server, HttpMethod.Post, "/cluster/shard_spaces/db1", "{bad")).Status.ShouldBe(HttpStatusCode.InternalServerError);
        (await Root(server, HttpMethod.Post, "/cluster/shard_spaces/nodb/s", Space)).ShouldBe(((HttpStatusCode)406, "Can't update a shard space for a database that doesn't exist"));
        (await Root(server, HttpMethod.Post, "/cluster/shard_spaces/db1/zz", Space)).ShouldBe(((HttpStatusCode)406, "Can't update a shard space that doesn't exist"));
        (await Root(server, HttpMethod.Post, "/cluster/shard_spaces/db1/s", """{"regex":"/^a/","retentionPolicy":"1d","shardDuration":"1h","replicationFactor":1,"split":1}""")).Status.ShouldBe(HttpStatusCode.OK);
        (await Root(server, HttpMethod.Get, "/cluster/shard_spaces")).Body
            .ShouldBe("""[{"name":"s","database":"db1","regex":"/^a/","retentionPolicy":"1d","shardDuration":"1h","replicationFactor":1,"split":1}]""");
        (await Root(server, HttpMethod.Delete, "/cluster/shard_spaces/db1/s")).Status.ShouldBe(HttpStatusCode.OK);
        (await Root(server, HttpMethod.Delete, "/cluster/shard_spaces/db1/s")).Status.ShouldBe(HttpStatusCode.OK);
        (await Root(server, HttpMethod.Get, "/cluster/shard_spaces")).Body.ShouldBe("[]");
    }

    [Fact]
    public async Task DatabaseConfigs_CreatesDatabaseSpacesAndContinuousQueries()
    {
        await using var server = await TestServer.StartAsync();
        const string Body = """{"spaces":[{"name":"everything","retentionPolicy":"inf","shardDuration":"7d","regex":"/.*/","replicationFactor":1,"split":1},{"name":"specific","retentionPolicy":"7d","shardDuration":"1d","regex":"/^something_specfic/","replicationFactor":2,"split":3}],"continuousQueries":["select * from events into events.[id]","select count(value) from events group by time(5m) into 5m.count.events"]}""";
        (await Root(server, HttpMethod.Post, "/cluster/database_configs/cfg", Body)).ShouldBe((HttpStatusCode.Created, ""));
        (await Root(server, HttpMethod.Get, "/db")).Body.ShouldBe("""[{"name":"cfg"}]""");
        var spaces = (await Root(server, HttpMethod.Get, "/cluster/shard_spaces")).Body;
        spaces.IndexOf("specific", StringComparison.Ordinal).ShouldBeLessThan(spaces.IndexOf("everything", StringComparison.Ordinal));
        var queries = JsonSerializer.Serialize(await server.QueryAsync("cfg", "list continuous queries"));
        queries.ShouldContain("select * from \\u0022events\\u0022 into events.[id]");
        (await Root(server, HttpMethod.Post, "/cluster/database_configs/cfg", "{}")).ShouldBe((HttpStatusCode.BadRequest, "database cfg exists"));
        (await Root(server, HttpMethod.Post, "/cluster/database_configs/x2", """{"continuousQueries":["select * from a"]}"""))
            .ShouldBe((HttpStatusCode.BadRequest, "This query isn't a continuous query. Use 'into'. select * from a"));
        (await Root(server, HttpMethod.Post, "/cluster/database_configs/x3", """{"continuousQueries":["selec * from a into b"]}""")).Body.ShouldStartWith("Error at ");
        (await Root(server, HttpMethod.Post, "/cluster/database_configs/x4", "{}")).Status.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Retention_SweepDropsExpiredShardDirectoriesAndKeepsNewerPoints()
    {
        await using var server = await TestServer.StartAsync(o => o with { RetentionSweepPeriod = TimeSpan.FromMilliseconds(200) });
        await server.CreateDatabaseAsync("db1");
        (await Root(server, HttpMethod.Post, "/cluster/shard_spaces/db1", """{"name":"short","regex":"/.*/","retentionPolicy":"3s","shardDuration":"1s","replicationFactor":1,"split":1}""")).Status.ShouldBe(HttpStatusCode.OK);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await server.WriteAsync("db1", $$"""[{"name":"s","columns":["time","v"],"points":[[{{now - 1500}},1]]}]""");
        server.Host.Engine.Flush();
        var shardDirectories = Directory.GetDirectories(Path.Combine(server.DataDir, "shards"));
        shardDirectories.Length.ShouldBe(1);

        // A point already past retention is dropped with 200 and registers nothing.
        await server.WriteAsync("db1", """[{"name":"old","columns":["time","v"],"points":[[1000,1]]}]""");
        JsonSerializer.Serialize(await server.QueryAsync("db1", "list series")).ShouldNotContain("old");

        for (var i = 0; i < 100 && Directory.Exists(shardDirectories[0]); i++)
        {
            await Task.Delay(100);
        }

        Directory.Exists(shardDirectories[0]).ShouldBeFalse("the expired shard directory should have been removed");
        await server.WriteAsync("db1", $$"""[{"name":"s","columns":["time","v"],"points":[[{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},2]]}]""");
        var points = (await server.QueryAsync("db1", "select v from s"))[0].GetProperty("points");
        points.GetArrayLength().ShouldBe(1);
        points[0][2].GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task ClusterEndpoints_SingleNodeShapes()
    {
        await using var server = await TestServer.StartAsync();
        (await Root(server, HttpMethod.Get, "/interfaces")).Body.ShouldBe("""["default"]""");
        (await Root(server, HttpMethod.Get, "/sync")).ShouldBe((HttpStatusCode.OK, "true"));
        (await Root(server, HttpMethod.Post, "/raft/force_compaction")).ShouldBe((HttpStatusCode.OK, "OK"));
        var servers = JsonDocument.Parse((await Root(server, HttpMethod.Get, "/cluster/servers")).Body).RootElement;
        servers[0].GetProperty("id").GetInt32().ShouldBe(1);
        servers[0].GetProperty("isLeader").GetBoolean().ShouldBeTrue();
        (await Root(server, HttpMethod.Delete, "/cluster/servers/1")).ShouldBe((HttpStatusCode.BadRequest, "Cannot remove the local server"));
        (await Root(server, HttpMethod.Delete, "/cluster/servers/x")).ShouldBe((HttpStatusCode.BadRequest, "strconv.ParseInt: parsing \"x\": invalid syntax"));
        var configuration = JsonDocument.Parse((await Root(server, HttpMethod.Get, "/cluster/configuration")).Body).RootElement;
        configuration.EnumerateObject().Select(p => p.Name).ShouldBe(["Databases", "Admins", "DbUsers", "Servers", "ContinuousQueries", "MetaStore", "LastShardIdUsed", "LastServerIdUsed", "DatabaseShardSpaces", "Shards"]);
        (await server.GetAsync("/sync")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
