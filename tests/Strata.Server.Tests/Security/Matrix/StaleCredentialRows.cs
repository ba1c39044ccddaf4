using static Strata.Server.Tests.Security.Matrix.Expect;

namespace Strata.Server.Tests.Security.Matrix;

/// <summary>
/// Every request authenticates afresh (http-api.md §4.8.4), and a verification cache must be keyed by the stored hash
/// (§2.3, Strata choice). Each row first uses the credentials (warming any cache), then changes the user, and checks
/// that the very next request sees the change: passwords, deletion, re-creation, readFrom/writeTo and the admin flag.
/// </summary>
public static class StaleCredentialRows
{
    private static Op NewUser(string db, string name, string password, bool admin = false, string readWrite = ".*") =>
        new("POST", $"/db/{db}/users", $$"""{"name":"{{name}}","password":"{{password}}","isAdmin":{{(admin ? "true" : "false")}},"readFrom":"{{readWrite}}","writeTo":"{{readWrite}}"}""");

    /// <summary>Built after the helpers above (static initialisers run in textual order).</summary>
    public static readonly Table Table = Build();

    private static Table Build()
    {
        var t = new Table();

        t.Add("POST /cluster_admins/:user (after a login)", new Op("POST", "/cluster_admins/warmpw", """{"password":"after1234"}""")
        {
            Setup = [new("POST", "/cluster_admins", """{"name":"warmpw","password":"before123"}""")],
            Before = [Login("/cluster_admins/authenticate", "warmpw", "before123", ok: true)],
            Then = [Login("/cluster_admins/authenticate", "warmpw", "before123", ok: false), Login("/cluster_admins/authenticate", "warmpw", "after1234", ok: true)],
            Cleanup = [new("DELETE", "/cluster_admins/warmpw")],
        }, [Is(Who.Admin2, 200)]);
        t.Add("DELETE /cluster_admins/:user (after a login)", new Op("DELETE", "/cluster_admins/warmdel")
        {
            Setup = [new("POST", "/cluster_admins", """{"name":"warmdel","password":"before123"}""")],
            Before = [Login("/cluster_admins/authenticate", "warmdel", "before123", ok: true), new(Caller.User("warmdel", "warmdel", "before123"), Get("/db"), 200, DatabasesWith())],
            Then = [Login("/cluster_admins/authenticate", "warmdel", "before123", ok: false), new(Caller.User("warmdel", "warmdel", "before123"), Get("/db"), 401, BadCredentials)],
            Cleanup = [new("DELETE", "/cluster_admins/warmdel")],
        }, [Is(Who.Admin2, 200)]);

        t.Add("POST /db/:db/users/:user {password} (after a login)", new Op("POST", "/db/db1/users/warmpw", """{"password":"after1234"}""")
        {
            Setup = [NewUser("db1", "warmpw", "before123")],
            Before = [Login("/db/db1/authenticate", "warmpw", "before123", ok: true)],
            Then = [Login("/db/db1/authenticate", "warmpw", "before123", ok: false), Login("/db/db1/authenticate", "warmpw", "after1234", ok: true)],
            Cleanup = [new("DELETE", "/db/db1/users/warmpw")],
        }, [Is(Who.DbAdmin, 200)]);
        // §12 item 42: 0.8.8 kept accepting the old password of a deleted and re-created user; Strata must not.
        var recreated = Caller.User("warmre", "warmre", "before123");
        t.Add("DELETE /db/:db/users/:user (after a login, then re-created)", new Op("DELETE", "/db/db1/users/warmre")
        {
            Setup = [NewUser("db1", "warmre", "before123")],
            Before = [Login("/db/db1/authenticate", "warmre", "before123", ok: true), new(recreated, Statement("select * from mem"), 200, "[" + MemPoint + "]")],
            Then =
            [
                Login("/db/db1/authenticate", "warmre", "before123", ok: false),
                new(recreated, Statement("select * from mem"), 401, BadCredentials),
                AsRoot(NewUser("db1", "warmre", "after1234"), 200, ""),
                Login("/db/db1/authenticate", "warmre", "before123", ok: false),
                Login("/db/db1/authenticate", "warmre", "after1234", ok: true),
            ],
            Cleanup = [new("DELETE", "/db/db1/users/warmre")],
        }, [Is(Who.DbAdmin, 200)]);
        // §4.7: dropping a database removes its users, even ones that have just logged in.
        t.Add("DELETE /db/:db (after its user logged in, then re-created)", new Op("DELETE", "/db/warmdb")
        {
            Setup = [new("POST", "/db", """{"name":"warmdb"}"""), NewUser("warmdb", "member", "before123", admin: true)],
            Before = [Login("/db/warmdb/authenticate", "member", "before123", ok: true)],
            Then =
            [
                Login("/db/warmdb/authenticate", "member", "before123", ok: false),
                AsRoot(new("POST", "/db", """{"name":"warmdb"}"""), 201, ""),
                Login("/db/warmdb/authenticate", "member", "before123", ok: false),
                new(Caller.User("member", "member", "before123"), Get("/db/warmdb/users"), 401, BadCredentials),
            ],
            Cleanup = [new("DELETE", "/db/warmdb")],
        }, [Is(Who.Root, 204)]);

        // Permissions and the admin flag are read at each request, not remembered with the verified password.
        var reader = Caller.User("warmre2", "warmre2", "before123");
        t.Add("POST /db/:db/users/:user {readFrom, writeTo} (after a read)", new Op("POST", "/db/db1/users/warmre2", """{"readFrom":"^mem$","writeTo":"^mem$"}""")
        {
            Setup = [NewUser("db1", "warmre2", "before123")],
            Before = [new(reader, Statement("select * from cpu"), 200, "[" + CpuPoint + "]"), new(reader, new("POST", WritePath, "[" + CpuPoint + "]"), 200, "")],
            Then =
            [
                new(reader, Statement("select * from cpu"), 403, "User doesn't have read access to cpu"),
                new(reader, Statement("select * from /.*/"), 200, "[" + MemPoint + "]"),
                new(reader, new("POST", WritePath, "[" + CpuPoint + "]"), 403, "User warmre2 doesn't have write permissions for cpu"),
            ],
            Cleanup = [new("DELETE", "/db/db1/users/warmre2")],
        }, [Is(Who.DbAdmin, 200)]);
        var admin = Caller.User("warmadm", "warmadm", "before123");
        t.Add("POST /db/:db/users/:user {admin:false} (after acting as admin)", new Op("POST", "/db/db1/users/warmadm", """{"admin":false}""")
        {
            Setup = [NewUser("db1", "warmadm", "before123", admin: true)],
            Before = [new(admin, Statement("list continuous queries"), 200, ContinuousQueries()), new(admin, Get("/db/db1/users/full"), 200, User("full"))],
            Then =
            [
                new(admin, Statement("list continuous queries"), 403, "Insufficient permissions to list continuous queries"),
                new(admin, Get("/db/db1/users/full"), 403, "Insufficient permissions to get db user on db1"),
                new(admin, new("DELETE", "/db/db1/series/cpu"), 403, "Insufficient permissions to drop series"),
            ],
            Cleanup = [new("DELETE", "/db/db1/users/warmadm")],
        }, [Is(Who.DbAdmin, 200)]);
        var promoted = Caller.User("warmup", "warmup", "before123");
        t.Add("POST /db/:db/users/:user {admin:true} (after being refused)", new Op("POST", "/db/db1/users/warmup", """{"admin":true}""")
        {
            Setup = [NewUser("db1", "warmup", "before123")],
            Before = [new(promoted, Get("/db/db1/users/full"), 403, "Insufficient permissions to get db user on db1")],
            Then = [new(promoted, Get("/db/db1/users/full"), 200, User("full"))],
            Cleanup = [new("DELETE", "/db/db1/users/warmup")],
        }, [Is(Who.Admin2, 200)]);
        return t;
    }
}
