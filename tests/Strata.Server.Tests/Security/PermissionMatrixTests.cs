using System.Text;
using System.Text.Json;
using Strata.Server.Tests.Security.Matrix;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Security;

/// <summary>
/// One server per matrix class with every kind of principal (reference http-api.md §2.2, §7.1):
/// databases db1 (data: cpu = 1, mem = 2 at 1399996800 s, sequence number 1; one baseline continuous query),
/// db2 (user <c>other</c>) and db3 (a plain user named <c>root</c> with password <c>root</c>);
/// cluster admins root, admin2 and twin; db1 users dbadmin (admin), full, restricted (<c>^mem$</c>) and twin (<c>^mem$</c>).
/// </summary>
public sealed class PermissionMatrixFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await TestServer.StartAsync();
        foreach (var db in Expect.Databases)
        {
            await Server.CreateDatabaseAsync(db);
        }

        await Server.WriteAsync("db1", "[" + Expect.CpuPoint + "," + Expect.MemPoint + "]", "s");
        Op[] setup =
        [
            new("POST", "/cluster_admins", """{"name":"admin2","password":"admin2pw"}"""),
            new("POST", "/cluster_admins", """{"name":"twin","password":"twinadminpw"}"""),
            new("POST", "/db/db1/users", """{"name":"dbadmin","password":"dbadminpw","isAdmin":true}"""),
            new("POST", "/db/db1/users", """{"name":"full","password":"fullpass"}"""),
            new("POST", "/db/db1/users", """{"name":"restricted","password":"restrictedpw","readFrom":"^mem$","writeTo":"^mem$"}"""),
            new("POST", "/db/db1/users", """{"name":"twin","password":"twinuserpw","readFrom":"^mem$","writeTo":"^mem$"}"""),
            new("POST", "/db/db2/users", """{"name":"other","password":"otherpass"}"""),
            new("POST", "/db/db3/users", """{"name":"root","password":"root","readFrom":"^$","writeTo":"^$"}"""),
            Expect.Statement(Expect.BaselineCq),
        ];
        foreach (var op in setup)
        {
            await SetupAsync(op);
        }
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    /// <summary>Runs one row: setup as root, the request as the row's principal, the follow-up checks, then cleanup.</summary>
    public async Task RunAsync(Row row)
    {
        try
        {
            foreach (var op in row.Request.Setup)
            {
                await SetupAsync(op);
            }

            foreach (var check in row.Request.Before)
            {
                var before = await SendAsync(check.Who, check.Request);
                Verify(before, check.Status, check.Body, $"{row.Name}, before: {check.Request.Method} {check.Request.Path} as {check.Who.Label}");
            }

            try
            {
                var answer = await SendAsync(row.Who, row.Request);
                Verify(answer, row.Status, row.Body, $"{row.Name}: {row.Request.Method} {row.Request.Path}");
                if (row.Status == 401)
                {
                    answer.WwwAuthenticate.ShouldBe("Basic realm=\"influxdb\"", row.Name);
                    answer.MediaType.ShouldBe("text/plain", row.Name);
                }

                foreach (var check in row.Request.Then)
                {
                    var after = await SendAsync(check.Who, check.Request);
                    Verify(after, check.Status, check.Body, $"{row.Name}, then {check.Request.Method} {check.Request.Path} as {check.Who.Label}");
                }
            }
            catch (ShouldAssertException e) when (row.KnownServerBug is not null)
            {
                Assert.Skip($"server bug: {row.KnownServerBug}\n{e.Message}");
            }

            if (row.KnownServerBug is not null)
            {
                Assert.Fail($"{row.Name} is marked KnownServerBug (\"{row.KnownServerBug}\") but now passes: remove the marker.");
            }
        }
        finally
        {
            foreach (var op in row.Request.Cleanup)
            {
                await SendAsync(Who.Root, op);
            }

            if (row.Request.DropAddedContinuousQueries)
            {
                await DropAddedContinuousQueriesAsync();
            }
        }
    }

    private static void Verify(Answer answer, int status, string body, string context)
    {
        answer.Status.ShouldBe(status, $"{context}\nbody: {answer.Body}");
        if (body.EndsWith('…'))
        {
            answer.Body.ShouldStartWith(body[..^1], Shouldly.Case.Sensitive, context);
        }
        else
        {
            answer.Body.ShouldBe(body, context);
        }
    }

    private async Task SetupAsync(Op op)
    {
        var answer = await SendAsync(Who.Root, op);
        answer.Status.ShouldBeLessThan(300, $"setup {op.Method} {op.Path} {op.Body}: {answer.Body}");
    }

    private async Task DropAddedContinuousQueriesAsync()
    {
        var list = await SendAsync(Who.Root, Expect.Statement("list continuous queries"));
        if (list.Status != 200)
        {
            return;
        }

        foreach (var series in JsonDocument.Parse(list.Body).RootElement.EnumerateArray())
        {
            foreach (var point in series.GetProperty("points").EnumerateArray())
            {
                var id = point[1].GetInt64();
                if (id != 1)
                {
                    await SendAsync(Who.Root, Expect.Statement($"drop continuous query {id}"));
                }
            }
        }
    }

    private async Task<Answer> SendAsync(Caller who, Op op)
    {
        using var request = new HttpRequestMessage(new HttpMethod(op.Method), who.Apply(op.Path));
        if (who.Header is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", who.Header).ShouldBeTrue();
        }

        if (op.Body is not null)
        {
            request.Content = new StringContent(op.Body, Encoding.UTF8, "application/json");
        }

        using var response = await Server.Client.SendAsync(request);
        return new Answer(
            (int)response.StatusCode,
            await response.Content.ReadAsStringAsync(),
            response.Headers.WwwAuthenticate.ToString(),
            response.Content.Headers.ContentType?.MediaType);
    }

    private sealed record Answer(int Status, string Body, string WwwAuthenticate, string? MediaType);
}

/// <summary>CA routes: databases and cluster admins (http-api.md §2.2, §3, §4.1, §4.5–4.8).</summary>
public sealed class ClusterRoutePermissionMatrixTests(PermissionMatrixFixture fixture) : IClassFixture<PermissionMatrixFixture>
{
    public static TheoryData<string> Rows => ClusterRows.Table.Names();

    [Theory]
    [MemberData(nameof(Rows))]
    public Task ClusterRoutes_AnswerEachPrincipalAs08Does(string row) => fixture.RunAsync(ClusterRows.Table[row]);
}

/// <summary>DU and DU→CA user-management routes (http-api.md §2.2, §4.9, §7.1).</summary>
public sealed class DatabaseUserPermissionMatrixTests(PermissionMatrixFixture fixture) : IClassFixture<PermissionMatrixFixture>
{
    public static TheoryData<string> Rows => DatabaseUserRows.Table.Names();

    [Theory]
    [MemberData(nameof(Rows))]
    public Task DatabaseUserRoutes_AnswerEachPrincipalAs08Does(string row) => fixture.RunAsync(DatabaseUserRows.Table[row]);
}

/// <summary>Writes and every query kind (http-api.md §4.2–4.4, §7.3; query-examples.md §17, C11, D08).</summary>
public sealed class SeriesPermissionMatrixTests(PermissionMatrixFixture fixture) : IClassFixture<PermissionMatrixFixture>
{
    public static TheoryData<string> Rows => SeriesRows.Table.Names();

    [Theory]
    [MemberData(nameof(Rows))]
    public Task Series_AnswerEachPrincipalAs08Does(string row) => fixture.RunAsync(SeriesRows.Table[row]);
}

/// <summary>Basic-auth and malformed-header forms for db users and db admins on each auth mode (http-api.md §2.1).</summary>
public sealed class CredentialFormPermissionMatrixTests(PermissionMatrixFixture fixture) : IClassFixture<PermissionMatrixFixture>
{
    public static TheoryData<string> Rows => CredentialRows.Table.Names();

    [Theory]
    [MemberData(nameof(Rows))]
    public Task CredentialForms_AnswerEachPrincipalAs08Does(string row) => fixture.RunAsync(CredentialRows.Table[row]);
}

/// <summary>Changes to a user take effect on its very next request, whatever it did before (http-api.md §2.3, §4.7–4.9).</summary>
public sealed class StaleCredentialPermissionMatrixTests(PermissionMatrixFixture fixture) : IClassFixture<PermissionMatrixFixture>
{
    public static TheoryData<string> Rows => StaleCredentialRows.Table.Names();

    [Theory]
    [MemberData(nameof(Rows))]
    public Task UserChanges_ApplyToTheNextRequest(string row) => fixture.RunAsync(StaleCredentialRows.Table[row]);
}
