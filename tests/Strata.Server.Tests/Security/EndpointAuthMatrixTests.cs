using System.Net;
using System.Text;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Security;

/// <summary>One shared server with every kind of principal (reference http-api.md §2.2, §3, §4.8–4.9, §7.3).</summary>
public sealed class AuthMatrixFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await TestServer.StartAsync();
        await Server.CreateDatabaseAsync("db1");
        await Server.CreateDatabaseAsync("db2");
        await Server.WriteAsync("db1", """[{"name":"cpu","columns":["time","v"],"points":[[1399996800,1]]},{"name":"mem","columns":["time","v"],"points":[[1399996800,2]]}]""", "s");
        foreach (var (path, body) in (List<(string, string)>)[
            ("/cluster_admins", """{"name":"admin2","password":"admin2pw"}"""),
            ("/db/db1/users", """{"name":"dbadmin","password":"dbadminpw","isAdmin":true}"""),
            ("/db/db1/users", """{"name":"full","password":"fullpass"}"""),
            ("/db/db1/users", """{"name":"restricted","password":"restrictedpw","readFrom":"^mem$","writeTo":"^mem$"}"""),
            ("/db/db2/users", """{"name":"other","password":"otherpass"}""")])
        {
            using var response = await Server.PostAsync(TestServer.Auth(path), body);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// The permission matrix: for each endpoint or query kind and each kind of principal, 0.8's status and message.
/// A null body means only the status is checked (successful answers are covered by the endpoint tests).
/// </summary>
public class EndpointAuthMatrixTests(AuthMatrixFixture fixture) : IClassFixture<AuthMatrixFixture>
{
    private const string BadCredentials = "Invalid username/password";
    private const string NoCredentials = "Invalid database/username/password";

    private static readonly Dictionary<string, (string User, string Password)?> Principals = new()
    {
        ["root"] = ("root", "root"),
        ["admin2"] = ("admin2", "admin2pw"),
        ["dbadmin"] = ("dbadmin", "dbadminpw"),
        ["full"] = ("full", "fullpass"),
        ["restricted"] = ("restricted", "restrictedpw"),
        ["other-db-user"] = ("other", "otherpass"),
        ["wrong-password"] = ("root", "nottheone"),
        ["unknown-user"] = ("nobody", "whatever1"),
        ["none"] = null,
    };

    public static TheoryData<string, string, string, string?, string, int, string?> Rows()
    {
        var rows = new TheoryData<string, string, string, string?, string, int, string?>();
        void Add(string what, string method, string path, string? body, (string Principal, int Status, string? Body)[] cases)
        {
            foreach (var (principal, status, expected) in cases)
            {
                rows.Add(what, method, path, body, principal, status, expected);
            }
        }

        (string, int, string?)[] ClusterAdminOnly(int ok = 200) =>
        [
            ("root", ok, null), ("admin2", ok, null), ("dbadmin", 401, BadCredentials), ("full", 401, BadCredentials),
            ("restricted", 401, BadCredentials), ("other-db-user", 401, BadCredentials), ("wrong-password", 401, BadCredentials),
            ("unknown-user", 401, BadCredentials), ("none", 401, NoCredentials),
        ];

        (string, int, string?)[] DbAdmin(string forbidden) =>
        [
            ("root", 200, null), ("admin2", 200, null), ("dbadmin", 200, null), ("full", 403, forbidden),
            ("restricted", 403, forbidden), ("other-db-user", 401, BadCredentials), ("wrong-password", 401, BadCredentials),
            ("unknown-user", 401, BadCredentials), ("none", 401, NoCredentials),
        ];

        (string, int, string?)[] AnyDbUser(int ok = 200, string? restricted = null, int restrictedStatus = 200) =>
        [
            ("root", ok, null), ("admin2", ok, null), ("dbadmin", ok, null), ("full", ok, null),
            ("restricted", restricted is null ? ok : restrictedStatus, restricted), ("other-db-user", 401, BadCredentials),
            ("wrong-password", 401, BadCredentials), ("unknown-user", 401, BadCredentials), ("none", 401, NoCredentials),
        ];

        Add("list databases", "GET", "/db", null, ClusterAdminOnly());
        Add("list cluster admins", "GET", "/cluster_admins", null, ClusterAdminOnly());
        Add("authenticate cluster admin", "GET", "/cluster_admins/authenticate", null, ClusterAdminOnly());
        Add("list shard spaces", "GET", "/cluster/shard_spaces", null, ClusterAdminOnly());
        Add("list shards", "GET", "/cluster/shards", null, ClusterAdminOnly());
        Add("cluster servers", "GET", "/cluster/servers", null, ClusterAdminOnly());
        Add("sync", "GET", "/sync", null, ClusterAdminOnly());
        Add("drop unknown database", "DELETE", "/db/nosuch", null,
        [
            ("root", 400, "Database nosuch doesn't exist"), ("admin2", 400, "Database nosuch doesn't exist"), ("dbadmin", 401, BadCredentials),
            ("full", 401, BadCredentials), ("none", 401, NoCredentials),
        ]);
        Add("authenticate db user", "GET", "/db/db1/authenticate", null,
        [
            ("root", 401, BadCredentials), ("admin2", 401, BadCredentials), ("dbadmin", 200, null), ("full", 200, null),
            ("restricted", 200, null), ("other-db-user", 401, BadCredentials), ("wrong-password", 401, BadCredentials),
            ("unknown-user", 401, BadCredentials), ("none", 401, NoCredentials),
        ]);
        Add("list db users", "GET", "/db/db1/users", null, DbAdmin("Insufficient permissions to list db users on db1"));
        Add("show db user", "GET", "/db/db1/users/full", null, DbAdmin("Insufficient permissions to get db user on db1"));
        Add("select named readable series", "GET", "/db/db1/series?q=select%20*%20from%20mem", null, AnyDbUser());
        Add("select named unreadable series", "GET", "/db/db1/series?q=select%20*%20from%20cpu", null,
            AnyDbUser(restricted: "User doesn't have read access to cpu", restrictedStatus: 403));
        Add("list series", "GET", "/db/db1/series?q=list%20series", null, AnyDbUser());
        Add("list continuous queries", "GET", "/db/db1/series?q=list%20continuous%20queries", null,
            DbAdmin("Insufficient permissions to list continuous queries"));
        Add("delete from (nothing in range)", "GET", "/db/db1/series?q=delete%20from%20cpu%20where%20time%20%3C%20%271970-01-02%27", null,
            DbAdmin("Insufficient permission to write to db1"));
        Add("drop unknown series", "GET", "/db/db1/series?q=drop%20series%20nosuch", null, DbAdmin("Insufficient permissions to drop series"));
        Add("drop unknown series route", "DELETE", "/db/db1/series/nosuch", null,
        [
            ("root", 204, null), ("dbadmin", 204, null), ("full", 403, "Insufficient permissions to drop series"),
            ("restricted", 403, "Insufficient permissions to drop series"), ("wrong-password", 401, BadCredentials), ("none", 401, NoCredentials),
        ]);
        Add("write writable series", "POST", "/db/db1/series", """[{"name":"mem","columns":["v"],"points":[[3]]}]""", AnyDbUser());
        Add("write unwritable series", "POST", "/db/db1/series", """[{"name":"cpu","columns":["v"],"points":[[3]]}]""",
            AnyDbUser(restricted: "User restricted doesn't have write permissions for cpu", restrictedStatus: 403));
        Add("change another user's password", "POST", "/db/db1/users/other-target", """{"password":"newpass1"}""",
        [
            ("full", 403, "Insufficient permissions to change db user password for other-target on db1"),
            ("restricted", 403, "Insufficient permissions to change db user password for other-target on db1"),
            ("root", 400, "Invalid username other-target"), ("dbadmin", 400, "Invalid username other-target"),
        ]);
        Add("grant admin", "POST", "/db/db1/users/nosuchuser", """{"admin":true}""",
        [
            ("full", 403, "Insufficient permissions to grant db user admin privileges on db1"),
            ("root", 400, "Invalid username nosuchuser"),
        ]);
        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Matrix(string what, string method, string path, string? body, string principal, int status, string? expected)
    {
        var credentials = Principals[principal];
        var url = credentials is { } c ? TestServer.Auth(path, c.User, c.Password) : path;
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await fixture.Server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(status, $"{what} as {principal}: {text}");
        if (expected is not null)
        {
            text.ShouldBe(expected, $"{what} as {principal}");
        }
    }
}
