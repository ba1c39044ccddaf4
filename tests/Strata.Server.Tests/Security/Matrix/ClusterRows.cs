using static Strata.Server.Tests.Security.Matrix.Expect;

namespace Strata.Server.Tests.Security.Matrix;

/// <summary>
/// <c>/ping</c>, databases and cluster admins (reference http-api.md §2.2 mode CA, §3 rows 1 and 5–12, §4.1, §4.5–4.8).
/// A CA route accepts any cluster admin and nobody else: database users, db admins included, get 401.
/// </summary>
public static class ClusterRows
{
    /// <summary>The three cluster admins: root, a second admin, and twin (whose name is also a db1 user's).</summary>
    private static Case[] Admins(int status, string body) => Answer(status, body, Who.Root, Who.Admin2, Who.TwinAdmin);

    /// <summary>Everyone a CA route turns away (§2.2): all database users, bad or missing credentials.</summary>
    private static Case[] NotAdmins =>
        Refused(Who.DbAdmin, Who.Full, Who.Restricted, Who.OtherDbUser, Who.TwinUser, Who.WrongPassword, Who.UnknownUser, Who.None);

    /// <summary>Built after the fields above (static initialisers run in textual order).</summary>
    public static readonly Table Table = Build();

    private static Table Build()
    {
        var t = new Table();

        // §4.1: no authentication at all, so even bad credentials get the answer.
        t.Add("GET /ping", Get("/ping"), Answer(200, """{"status":"ok"}""", [.. Everyone, Who.TwinUser]));

        // §4.5, Strata choice: sorted.
        t.Add("GET /db", Get("/db"), [.. Admins(200, DatabasesWith()), .. NotAdmins]);

        // §4.6: 201; a refused create must leave no database behind.
        t.Add("POST /db", c =>
        {
            var name = "new_" + c.Who.Slug;
            return new Op("POST", "/db", $$"""{"name":"{{name}}"}""")
            {
                Then = [AsRoot(Get("/db"), 200, c.Succeeds ? DatabasesWith(name) : DatabasesWith())],
                Cleanup = [new("DELETE", "/db/" + name)],
            };
        }, [.. Admins(201, ""), .. NotAdmins]);
        t.Add("POST /db (name exists)", new Op("POST", "/db", """{"name":"db1"}"""),
            [Is(Who.Admin2, 409, "database db1 exists"), .. Refused(Who.DbAdmin, Who.None)]);
        // §4.6: "The body is decoded after authentication".
        t.Add("POST /db (empty body)", new Op("POST", "/db", ""), [Is(Who.Root, 400, "EOF"), .. Refused(Who.Full, Who.None)]);

        // §4.7: 204; a refused drop leaves the database.
        t.Add("DELETE /db/:db", c =>
        {
            var name = "gone_" + c.Who.Slug;
            return new Op("DELETE", "/db/" + name)
            {
                Setup = [new("POST", "/db", $$"""{"name":"{{name}}"}""")],
                Then = [AsRoot(Get("/db"), 200, c.Succeeds ? DatabasesWith() : DatabasesWith(name))],
                Cleanup = [new("DELETE", "/db/" + name)],
            };
        }, [.. Admins(204, ""), .. NotAdmins]);
        var owner = Caller.User("admin-of-that-db", "owner", "ownerpass");
        t.Add("DELETE /db/:db (by its own db admin)", new Op("DELETE", "/db/owned")
        {
            Setup = [new("POST", "/db", """{"name":"owned"}"""), new("POST", "/db/owned/users", """{"name":"owner","password":"ownerpass","isAdmin":true}""")],
            Then = [AsRoot(Get("/db/owned/users"), 200, "[" + User("owner", admin: true) + "]")],
            Cleanup = [new("DELETE", "/db/owned")],
        }, Refused(owner));
        // §4.7: dropping a database removes its users.
        t.Add("DELETE /db/:db (with users)", new Op("DELETE", "/db/withusers")
        {
            Setup = [new("POST", "/db", """{"name":"withusers"}"""), new("POST", "/db/withusers/users", """{"name":"member","password":"memberpw"}""")],
            Then = [Login("/db/withusers/authenticate", "member", "memberpw", ok: false), AsRoot(Get("/db/withusers/users"), 200, "[]")],
            Cleanup = [new("DELETE", "/db/withusers")],
        }, [Is(Who.Root, 204)]);
        t.Add("DELETE /db/:db (unknown)", new Op("DELETE", "/db/nosuch"),
            [Is(Who.Admin2, 400, "Database nosuch doesn't exist"), .. Refused(Who.DbAdmin, Who.None)]);

        // §4.8.1, §4.8.2.
        t.Add("GET /cluster_admins", Get("/cluster_admins"), [.. Admins(200, ClusterAdminsWith()), .. NotAdmins]);
        t.Add("GET /cluster_admins/authenticate", Get("/cluster_admins/authenticate"), [.. Admins(200, ""), .. NotAdmins]);

        // §4.8.3.
        t.Add("POST /cluster_admins", c =>
        {
            var name = "ca_" + c.Who.Slug;
            return new Op("POST", "/cluster_admins", $$"""{"name":"{{name}}","password":"capass12"}""")
            {
                Then = [AsRoot(Get("/cluster_admins"), 200, c.Succeeds ? ClusterAdminsWith(name) : ClusterAdminsWith())],
                Cleanup = [new("DELETE", "/cluster_admins/" + name)],
            };
        }, [.. Admins(200, ""), .. NotAdmins]);
        t.Add("POST /cluster_admins (name exists)", new Op("POST", "/cluster_admins", """{"name":"admin2","password":"capass12"}"""),
            [Is(Who.Admin2, 400, "User admin2 already exists"), .. Refused(Who.DbAdmin, Who.None)]);
        // §4.8.3: the body is decoded before authentication.
        t.Add("POST /cluster_admins (empty body)", new Op("POST", "/cluster_admins", ""),
            Answer(400, "EOF", Who.Root, Who.Full, Who.WrongPassword, Who.None));

        // §4.8.4: any cluster admin changes any cluster admin's password.
        t.Add("POST /cluster_admins/:user", c =>
        {
            var name = "cp_" + c.Who.Slug;
            return new Op("POST", "/cluster_admins/" + name, """{"password":"after1234"}""")
            {
                Setup = [new("POST", "/cluster_admins", $$"""{"name":"{{name}}","password":"before123"}""")],
                Then =
                [
                    Login("/cluster_admins/authenticate", name, "after1234", ok: c.Succeeds),
                    Login("/cluster_admins/authenticate", name, "before123", ok: !c.Succeeds),
                ],
                Cleanup = [new("DELETE", "/cluster_admins/" + name)],
            };
        }, [.. Admins(200, ""), .. NotAdmins]);
        t.Add("POST /cluster_admins/:user (own password)", new Op("POST", "/cluster_admins/selfpw", """{"password":"after1234"}""")
        {
            Setup = [new("POST", "/cluster_admins", """{"name":"selfpw","password":"before123"}""")],
            Then = [Login("/cluster_admins/authenticate", "selfpw", "after1234", ok: true), Login("/cluster_admins/authenticate", "selfpw", "before123", ok: false)],
            Cleanup = [new("DELETE", "/cluster_admins/selfpw")],
        }, [Is(Caller.User("the-admin-itself", "selfpw", "before123"), 200)]);
        t.Add("POST /cluster_admins/:user (unknown)", new Op("POST", "/cluster_admins/nosuch", """{"password":"after1234"}"""),
            [Is(Who.Admin2, 400, "Invalid user name nosuch"), .. Refused(Who.DbAdmin, Who.None)]);
        // A database user is not a cluster admin, whatever its name.
        t.Add("POST /cluster_admins/:user (a db user's name)", new Op("POST", "/cluster_admins/full", """{"password":"after1234"}"""),
            [Is(Who.Root, 400, "Invalid user name full"), .. Refused(Who.Full)]);
        // §1.2: POST /cluster_admins/authenticate is "change the password of the admin named authenticate".
        t.Add("POST /cluster_admins/authenticate", new Op("POST", "/cluster_admins/authenticate", """{"password":"after1234"}"""),
            [Is(Who.Root, 400, "Invalid user name authenticate"), .. Refused(Who.Full, Who.None)]);
        // §4.8.4: decoded before authentication, and bad JSON is 500 here.
        t.Add("POST /cluster_admins/:user (empty body)", new Op("POST", "/cluster_admins/admin2", ""),
            Answer(500, "EOF", Who.Root, Who.Full, Who.None));

        // §4.8.5: 200, not 204; any admin deletes any admin, itself included.
        t.Add("DELETE /cluster_admins/:user", c =>
        {
            var name = "del_" + c.Who.Slug;
            return new Op("DELETE", "/cluster_admins/" + name)
            {
                Setup = [new("POST", "/cluster_admins", $$"""{"name":"{{name}}","password":"delpass1"}""")],
                Then = [AsRoot(Get("/cluster_admins"), 200, c.Succeeds ? ClusterAdminsWith() : ClusterAdminsWith(name))],
                Cleanup = [new("DELETE", "/cluster_admins/" + name)],
            };
        }, [.. Admins(200, ""), .. NotAdmins]);
        t.Add("DELETE /cluster_admins/:user (itself)", new Op("DELETE", "/cluster_admins/selfdel")
        {
            Setup = [new("POST", "/cluster_admins", """{"name":"selfdel","password":"selfdel1"}""")],
            Then = [Login("/cluster_admins/authenticate", "selfdel", "selfdel1", ok: false), AsRoot(Get("/cluster_admins"), 200, ClusterAdminsWith())],
            Cleanup = [new("DELETE", "/cluster_admins/selfdel")],
        }, [Is(Caller.User("the-admin-itself", "selfdel", "selfdel1"), 200)]);
        t.Add("DELETE /cluster_admins/:user (unknown)", new Op("DELETE", "/cluster_admins/nosuch"),
            [Is(Who.Admin2, 400, "User nosuch doesn't exists"), .. Refused(Who.DbAdmin, Who.None)]);
        t.Add("DELETE /cluster_admins/:user (a db user's name)", new Op("DELETE", "/cluster_admins/full"),
            [Is(Who.Root, 400, "User full doesn't exists"), .. Refused(Who.Full)]);
        return t;
    }
}
