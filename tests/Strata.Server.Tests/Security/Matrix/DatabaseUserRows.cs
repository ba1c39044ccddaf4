using static Strata.Server.Tests.Security.Matrix.Expect;

namespace Strata.Server.Tests.Security.Matrix;

/// <summary>
/// <c>/db/:db/authenticate</c> (mode DU) and <c>/db/:db/users[/:user]</c> (mode DU→CA, db admin required)
/// (reference http-api.md §2.2, §3 rows 13–18, §4.9, §7.1).
/// </summary>
public static class DatabaseUserRows
{
    /// <summary>Cluster admins (through the DU→CA fallback) and db1's admin.</summary>
    private static Case[] Managers(int status, string body) => Answer(status, body, Who.Root, Who.Admin2, Who.TwinAdmin, Who.DbAdmin);

    /// <summary>db1's plain users: authenticated, then refused with 403.</summary>
    private static Case[] PlainUsers(string message) => Answer(403, message, Who.Full, Who.Restricted, Who.TwinUser);

    private static Case[] AllOnDb1(int okStatus, string okBody, string forbidden) =>
        [.. Managers(okStatus, okBody), .. PlainUsers(forbidden), .. StrangersToDb1];

    /// <summary>Creates a db1 user with password <c>before123</c>.</summary>
    private static Op NewUser(string name, bool admin = false, string? readWrite = null) =>
        new("POST", "/db/db1/users", $$"""{"name":"{{name}}","password":"before123","isAdmin":{{(admin ? "true" : "false")}}""" +
            (readWrite is null ? "}" : $$""","readFrom":"{{readWrite}}","writeTo":"{{readWrite}}"}"""));

    private static Op Show(string name) => Get("/db/db1/users/" + name);

    private static Op Delete(string name) => new("DELETE", "/db/db1/users/" + name);

    /// <summary>Built after the fields above (static initialisers run in textual order).</summary>
    public static readonly Table Table = Build();

    private static Table Build()
    {
        var t = new Table();

        // §2.2 mode DU: only db1's own users; cluster admins are not accepted here.
        t.Add("GET /db/:db/authenticate", Get("/db/db1/authenticate"),
        [
            .. Answer(200, "", Who.DbAdmin, Who.Full, Who.Restricted, Who.TwinUser),
            .. Refused(Who.Root, Who.Admin2, Who.TwinAdmin, Who.OtherDbUser, Who.WrongPassword, Who.UnknownUser, Who.None),
        ]);
        t.Add("GET /db/:db/authenticate (db2)", Get("/db/db2/authenticate"), [Is(Who.OtherDbUser, 200), .. Refused(Who.Full, Who.Root)]);
        // db3 has a user root/root of its own: it authenticates as that user.
        t.Add("GET /db/:db/authenticate (db3)", Get("/db/db3/authenticate"), [Is(Who.RootShadowedInDb3, 200), .. Refused(Who.Admin2)]);
        t.Add("GET /db/:db/authenticate (missing db)", Get("/db/nosuch/authenticate"), Refused(Who.Root, Who.Full));

        // §4.9.2, Strata choice: sorted by name.
        t.Add("GET /db/:db/users", Get("/db/db1/users"), AllOnDb1(200, "[" + string.Join(",", Db1Users) + "]", "Insufficient permissions to list db users on db1"));
        t.Add("GET /db/:db/users (db2)", Get("/db/db2/users"),
            [Is(Who.Root, 200, "[" + User("other") + "]"), Is(Who.OtherDbUser, 403, "Insufficient permissions to list db users on db2"), .. Refused(Who.DbAdmin)]);
        // §2.2: "the database user wins when its password matches", so root is a plain user on db3.
        t.Add("GET /db/:db/users (db3)", Get("/db/db3/users"),
        [
            Is(Who.RootShadowedInDb3, 403, "Insufficient permissions to list db users on db3"),
            Is(Who.Admin2, 200, "[" + User("root", writeTo: "^$", readFrom: "^$") + "]"),
        ]);
        t.Add("GET /db/:db/users (missing db)", Get("/db/nosuch/users"), [Is(Who.Root, 200, "[]"), .. Refused(Who.Full)]);

        // §4.9.4: even a user's own record needs a db admin.
        t.Add("GET /db/:db/users/:user", Show("full"), AllOnDb1(200, User("full"), "Insufficient permissions to get db user on db1"));
        t.Add("GET /db/:db/users/:user (restricted)", Show("restricted"),
            [Is(Who.DbAdmin, 200, User("restricted", writeTo: "^mem$", readFrom: "^mem$")), Is(Who.Restricted, 403, "Insufficient permissions to get db user on db1")]);
        // Cluster admins are not users of any database.
        t.Add("GET /db/:db/users/:user (a cluster admin's name)", Show("root"), [Is(Who.DbAdmin, 400, "Invalid username root")]);
        // §4.9.3: user names are per database, each with its own password.
        var db2Full = new Op("POST", "/db/db2/users", """{"name":"full","password":"db2fullpw"}""");
        t.Add("GET /db/:db/authenticate (db2 user named like a db1 user)", Get("/db/db2/authenticate") with
        {
            Setup = [db2Full],
            Cleanup = [new("DELETE", "/db/db2/users/full")],
        }, [Is(Caller.User("full(db2 password)", "full", "db2fullpw"), 200), .. Refused(Who.Full)]);
        t.Add("GET /db/:db/users/:user (unknown)", Show("nosuch"),
            [Is(Who.DbAdmin, 400, "Invalid username nosuch"), Is(Who.Full, 403, "Insufficient permissions to get db user on db1")]);

        AddCreate(t);
        AddDelete(t);
        AddPasswordChanges(t);
        AddAdminAndPermissionChanges(t);
        return t;
    }

    /// <summary>§4.9.3, checks in order: permission pair, db admin, name, password, database, existence.</summary>
    private static void AddCreate(Table t)
    {
        t.Add("POST /db/:db/users", c =>
        {
            var name = "nu_" + c.Who.Slug;
            return NewUser(name) with
            {
                Then = [AsRoot(Show(name), c.Succeeds ? 200 : 400, c.Succeeds ? User(name) : "Invalid username " + name)],
                Cleanup = [Delete(name)],
            };
        }, AllOnDb1(200, "", "Insufficient permissions to create db user on db1"));
        t.Add("POST /db/:db/users (isAdmin)", c => NewUser("na_" + c.Who.Slug, admin: true) with
        {
            Then = [AsRoot(Show("na_" + c.Who.Slug), c.Succeeds ? 200 : 400, c.Succeeds ? User("na_" + c.Who.Slug, admin: true) : "Invalid username na_" + c.Who.Slug)],
            Cleanup = [Delete("na_" + c.Who.Slug)],
        }, [Is(Who.DbAdmin, 200), Is(Who.Full, 403, "Insufficient permissions to create db user on db1")]);
        // §1.6: keys of the create body are case-insensitive.
        t.Add("POST /db/:db/users (ISADMIN)", new Op("POST", "/db/db1/users", """{"name":"nc","password":"before123","ISADMIN":true}""")
        {
            Then = [AsRoot(Show("nc"), 200, User("nc", admin: true))],
            Cleanup = [Delete("nc")],
        }, [Is(Who.DbAdmin, 200)]);
        t.Add("POST /db/:db/users (readFrom and writeTo)", NewUser("np", readWrite: "^cpu$") with
        {
            Then = [AsRoot(Show("np"), 200, User("np", writeTo: "^cpu$", readFrom: "^cpu$"))],
            Cleanup = [Delete("np")],
        }, [Is(Who.DbAdmin, 200)]);
        // Step 1 comes before the permission check.
        t.Add("POST /db/:db/users (readFrom only)", new Op("POST", "/db/db1/users", """{"name":"nr","password":"before123","readFrom":".*"}""") with { Cleanup = [Delete("nr")] },
            [Is(Who.DbAdmin, 400, "You have to provide read and write permissions"), Is(Who.Full, 400, "You have to provide read and write permissions"), .. Refused(Who.None)]);
        // Strata choice (§7.2): an uncompilable regex is refused.
        t.Add("POST /db/:db/users (invalid regex)", new Op("POST", "/db/db1/users", """{"name":"nx","password":"before123","readFrom":"(","writeTo":".*"}""") with { Cleanup = [Delete("nx")] },
            [Is(Who.DbAdmin, 400, "Invalid regex (: …")]);
        // Step 2 (permission) comes before the name, password and existence checks.
        t.Add("POST /db/:db/users (name exists)", NewUser("full"),
            [Is(Who.DbAdmin, 400, "User full already exists"), Is(Who.Restricted, 403, "Insufficient permissions to create db user on db1")]);
        t.Add("POST /db/:db/users (empty name)", NewUser(""),
            [Is(Who.DbAdmin, 400, "Username cannot be empty"), Is(Who.Full, 403, "Insufficient permissions to create db user on db1")]);
        t.Add("POST /db/:db/users (short password)", new Op("POST", "/db/db1/users", """{"name":"ns","password":"abc"}""") { Cleanup = [Delete("ns")] },
            [Is(Who.DbAdmin, 400, "Password must be more than 4 and less than 56 characters"), Is(Who.Full, 403, "Insufficient permissions to create db user on db1")]);
        // §4.9.3: decoded before authentication.
        t.Add("POST /db/:db/users (empty body)", new Op("POST", "/db/db1/users", ""), Answer(400, "EOF", Who.DbAdmin, Who.Full, Who.None));
        t.Add("POST /db/:db/users (in db2)", new Op("POST", "/db/db2/users", """{"name":"n2","password":"before123"}""") { Cleanup = [new("DELETE", "/db/db2/users/n2")] },
            [Is(Who.OtherDbUser, 403, "Insufficient permissions to create db user on db2"), .. Refused(Who.DbAdmin)]);
        t.Add("POST /db/:db/users (missing db)", new Op("POST", "/db/nosuch/users", """{"name":"n3","password":"before123"}"""),
            [Is(Who.Admin2, 400, "No such database nosuch"), .. Refused(Who.DbAdmin)]);
    }

    /// <summary>§4.9.6: 200, not 204.</summary>
    private static void AddDelete(Table t)
    {
        t.Add("DELETE /db/:db/users/:user", c =>
        {
            var name = "du_" + c.Who.Slug;
            return Delete(name) with
            {
                Setup = [NewUser(name)],
                Then = [AsRoot(Show(name), c.Succeeds ? 400 : 200, c.Succeeds ? "Invalid username " + name : User(name))],
                Cleanup = [Delete(name)],
            };
        }, AllOnDb1(200, "", "Insufficient permissions to delete db user on db1"));
        t.Add("DELETE /db/:db/users/:user (itself)", Delete("selfdel") with
        {
            Setup = [NewUser("selfdel")],
            Then = [Login("/db/db1/authenticate", "selfdel", "before123", ok: true)],
            Cleanup = [Delete("selfdel")],
        }, [Is(Caller.User("the-user-itself", "selfdel", "before123"), 403, "Insufficient permissions to delete db user on db1")]);
        t.Add("DELETE /db/:db/users/:user (unknown)", Delete("nosuch"),
            [Is(Who.DbAdmin, 400, "User nosuch doesn't exist"), Is(Who.Full, 403, "Insufficient permissions to delete db user on db1")]);
        t.Add("DELETE /db/:db/users/:user (in db2)", new Op("DELETE", "/db/db2/users/other") { Then = [Login("/db/db2/authenticate", "other", "otherpass", ok: true)] },
            [Is(Who.OtherDbUser, 403, "Insufficient permissions to delete db user on db2"), .. Refused(Who.DbAdmin)]);
    }

    /// <summary>§4.9.5 key 1: <c>password</c>, allowed for cluster admins, db admins and the user itself.</summary>
    private static void AddPasswordChanges(Table t)
    {
        t.Add("POST /db/:db/users/:user {password}", c =>
        {
            var name = "pw_" + c.Who.Slug;
            return new Op("POST", "/db/db1/users/" + name, """{"password":"after1234"}""")
            {
                Setup = [NewUser(name)],
                Then = [Login("/db/db1/authenticate", name, "after1234", ok: c.Succeeds), Login("/db/db1/authenticate", name, "before123", ok: !c.Succeeds)],
                Cleanup = [Delete(name)],
            };
        }, AllOnDb1(200, "", "Insufficient permissions to change db user password for pw_{0} on db1").Select(c => c with { Body = string.Format(null, c.Body, c.Who.Slug) }).ToArray());
        t.Add("POST /db/:db/users/:user {password} (own)", new Op("POST", "/db/db1/users/selfpw", """{"password":"after1234"}""")
        {
            Setup = [NewUser("selfpw")],
            Then = [Login("/db/db1/authenticate", "selfpw", "after1234", ok: true), Login("/db/db1/authenticate", "selfpw", "before123", ok: false)],
            Cleanup = [Delete("selfpw")],
        }, [Is(Caller.User("the-user-itself", "selfpw", "before123"), 200)]);
        t.Add("POST /db/:db/users/:user {password} (own, restricted user)", new Op("POST", "/db/db1/users/selfpwr", """{"password":"after1234"}""")
        {
            Setup = [NewUser("selfpwr", readWrite: "^mem$")],
            Then = [Login("/db/db1/authenticate", "selfpwr", "after1234", ok: true)],
            Cleanup = [Delete("selfpwr")],
        }, [Is(Caller.User("the-user-itself", "selfpwr", "before123"), 200)]);
        // Keys are applied one by one: the password change is committed before the admin grant is refused.
        t.Add("POST /db/:db/users/:user {password, admin} (own)", new Op("POST", "/db/db1/users/selfadm", """{"password":"after1234","admin":true}""")
        {
            Setup = [NewUser("selfadm")],
            Then = [Login("/db/db1/authenticate", "selfadm", "after1234", ok: true), AsRoot(Show("selfadm"), 200, User("selfadm"))],
            Cleanup = [Delete("selfadm")],
        }, [Is(Caller.User("the-user-itself", "selfadm", "before123"), 403, "Insufficient permissions to grant db user admin privileges on db1")]);
        t.Add("POST /db/:db/users/:user {password} (a db admin's, by a db admin)", new Op("POST", "/db/db1/users/otheradm", """{"password":"after1234"}""")
        {
            Setup = [NewUser("otheradm", admin: true)],
            Then = [Login("/db/db1/authenticate", "otheradm", "after1234", ok: true)],
            Cleanup = [Delete("otheradm")],
        }, [Is(Who.DbAdmin, 200)]);
        t.Add("POST /db/:db/users/:user {password} (not a string)", new Op("POST", "/db/db1/users/dbadmin", """{"password":1}"""),
            [Is(Who.DbAdmin, 400, "password must be string"), Is(Who.Full, 400, "password must be string"), .. Refused(Who.None)]);
        t.Add("POST /db/:db/users/:user {password} (too short)", new Op("POST", "/db/db1/users/pwshort", """{"password":"abc"}""")
        {
            Setup = [NewUser("pwshort")],
            Then = [Login("/db/db1/authenticate", "pwshort", "before123", ok: true)],
            Cleanup = [Delete("pwshort")],
        }, [Is(Who.DbAdmin, 400, "Password must be more than 4 and less than 56 characters"), Is(Who.Full, 403, "Insufficient permissions to change db user password for pwshort on db1")]);
        t.Add("POST /db/:db/users/:user {password} (unknown)", new Op("POST", "/db/db1/users/nosuch", """{"password":"after1234"}"""),
            [Is(Who.DbAdmin, 400, "Invalid username nosuch"), Is(Who.Full, 403, "Insufficient permissions to change db user password for nosuch on db1")]);
        t.Add("POST /db/:db/users/:user {password} (db without users)", new Op("POST", "/db/nosuch/users/x", """{"password":"after1234"}"""),
            [Is(Who.Root, 400, "Invalid database name nosuch"), .. Refused(Who.DbAdmin)]);
        t.Add("POST /db/:db/users/:user {password} (in db2)", new Op("POST", "/db/db2/users/other", """{"password":"after1234"}""")
        {
            Then = [Login("/db/db2/authenticate", "other", "otherpass", ok: true)],
        }, Refused(Who.DbAdmin, Who.Full));
        // §4.9.5: "An empty object {} succeeds with 200 and changes nothing"; the body is decoded before authentication.
        t.Add("POST /db/:db/users/:user {}", new Op("POST", "/db/db1/users/dbadmin", "{}"), [Is(Who.Full, 200), .. Refused(Who.None)]);
        // §4.9.5: keys are case-sensitive and unknown ones (isAdmin, name, Password) are ignored, so these change nothing.
        t.Add("POST /db/:db/users/:user {isAdmin:true} (own)", new Op("POST", "/db/db1/users/selfis", """{"isAdmin":true,"name":"other","Password":"after1234"}""")
        {
            Setup = [NewUser("selfis")],
            Then = [AsRoot(Show("selfis"), 200, User("selfis")), Login("/db/db1/authenticate", "selfis", "before123", ok: true)],
            Cleanup = [Delete("selfis")],
        }, [Is(Caller.User("the-user-itself", "selfis", "before123"), 200)]);
        t.Add("POST /db/:db/users/:user {Password} (another's)", new Op("POST", "/db/db1/users/dbadmin", """{"Password":"hacked12","Admin":false}""")
        {
            Then = [AsRoot(Show("dbadmin"), 200, User("dbadmin", admin: true)), Login("/db/db1/authenticate", "dbadmin", "dbadminpw", ok: true)],
        }, [Is(Who.Full, 200)]);
        t.Add("POST /db/:db/users/:user (empty body)", new Op("POST", "/db/db1/users/dbadmin", ""), Answer(400, "EOF", Who.DbAdmin, Who.None));
    }

    /// <summary>§4.9.5 keys 2 and 3: <c>readFrom</c>/<c>writeTo</c> and <c>admin</c>, db admins and cluster admins only.</summary>
    private static void AddAdminAndPermissionChanges(Table t)
    {
        t.Add("POST /db/:db/users/:user {admin:true}", c =>
        {
            var name = "ad_" + c.Who.Slug;
            return new Op("POST", "/db/db1/users/" + name, """{"admin":true}""")
            {
                Setup = [NewUser(name)],
                Then = [AsRoot(Show(name), 200, User(name, admin: c.Succeeds))],
                Cleanup = [Delete(name)],
            };
        }, AllOnDb1(200, "", "Insufficient permissions to grant db user admin privileges on db1"));
        // The new admin's powers take effect at once: it may now list continuous queries.
        t.Add("POST /db/:db/users/:user {admin:true} (then acts as admin)", new Op("POST", "/db/db1/users/promoted", """{"admin":true}""")
        {
            Setup = [NewUser("promoted")],
            Then = [new(Caller.User("promoted", "promoted", "before123"), Statement("list continuous queries"), 200, ContinuousQueries())],
            Cleanup = [Delete("promoted")],
        }, [Is(Who.DbAdmin, 200)]);
        t.Add("POST /db/:db/users/:user {admin:false}", new Op("POST", "/db/db1/users/demoted", """{"admin":false}""")
        {
            Setup = [NewUser("demoted", admin: true)],
            Then =
            [
                AsRoot(Show("demoted"), 200, User("demoted")),
                new(Caller.User("demoted", "demoted", "before123"), Statement("list continuous queries"), 403, "Insufficient permissions to list continuous queries"),
            ],
            Cleanup = [Delete("demoted")],
        }, [Is(Who.DbAdmin, 200)]);
        t.Add("POST /db/:db/users/:user {admin:true} (own)", new Op("POST", "/db/db1/users/selfgrant", """{"admin":true}""")
        {
            Setup = [NewUser("selfgrant")],
            Then = [AsRoot(Show("selfgrant"), 200, User("selfgrant"))],
            Cleanup = [Delete("selfgrant")],
        }, [Is(Caller.User("the-user-itself", "selfgrant", "before123"), 403, "Insufficient permissions to grant db user admin privileges on db1")]);
        t.Add("POST /db/:db/users/:user {admin} (not a boolean)", new Op("POST", "/db/db1/users/full", """{"admin":"yes"}"""),
            [Is(Who.DbAdmin, 400, "admin must be boolean"), Is(Who.Full, 400, "admin must be boolean")]);
        t.Add("POST /db/:db/users/:user {admin:true} (unknown)", new Op("POST", "/db/db1/users/nosuch", """{"admin":true}"""),
            [Is(Who.DbAdmin, 400, "Invalid username nosuch"), Is(Who.Full, 403, "Insufficient permissions to grant db user admin privileges on db1")]);

        t.Add("POST /db/:db/users/:user {readFrom, writeTo}", c =>
        {
            var name = "pm_" + c.Who.Slug;
            return new Op("POST", "/db/db1/users/" + name, """{"readFrom":"^cpu$","writeTo":"^cpu$"}""")
            {
                Setup = [NewUser(name)],
                Then = [AsRoot(Show(name), 200, c.Succeeds ? User(name, writeTo: "^cpu$", readFrom: "^cpu$") : User(name))],
                Cleanup = [Delete(name)],
            };
        }, AllOnDb1(200, "", "Insufficient permissions to change db user permissions on db1"));
        // The new regexes apply to the user's next request.
        t.Add("POST /db/:db/users/:user {readFrom, writeTo} (then applies)", new Op("POST", "/db/db1/users/narrowed", """{"readFrom":"^cpu$","writeTo":"^cpu$"}""")
        {
            Setup = [NewUser("narrowed")],
            Then =
            [
                new(Caller.User("narrowed", "narrowed", "before123"), Statement("select * from mem"), 403, "User doesn't have read access to mem"),
                new(Caller.User("narrowed", "narrowed", "before123"), Statement("select * from cpu"), 200, "[" + CpuPoint + "]"),
            ],
            Cleanup = [Delete("narrowed")],
        }, [Is(Who.DbAdmin, 200)]);
        // §7.2: "" is stored and allows everything.
        t.Add("POST /db/:db/users/:user {readFrom:\"\", writeTo:\"\"}", new Op("POST", "/db/db1/users/widened", """{"readFrom":"","writeTo":""}""")
        {
            Setup = [NewUser("widened", readWrite: "^$")],
            Then =
            [
                AsRoot(Show("widened"), 200, User("widened", writeTo: "", readFrom: "")),
                new(Caller.User("widened", "widened", "before123"), Statement("select * from cpu"), 200, "[" + CpuPoint + "]"),
            ],
            Cleanup = [Delete("widened")],
        }, [Is(Who.DbAdmin, 200)]);
        t.Add("POST /db/:db/users/:user {readFrom, writeTo} (own)", new Op("POST", "/db/db1/users/selfwiden", """{"readFrom":".*","writeTo":".*"}""")
        {
            Setup = [NewUser("selfwiden", readWrite: "^mem$")],
            Then = [AsRoot(Show("selfwiden"), 200, User("selfwiden", writeTo: "^mem$", readFrom: "^mem$"))],
            Cleanup = [Delete("selfwiden")],
        }, [Is(Caller.User("the-user-itself", "selfwiden", "before123"), 403, "Insufficient permissions to change db user permissions on db1")]);
        // The pair check and the type check come before the permission check.
        t.Add("POST /db/:db/users/:user {readFrom} (alone)", new Op("POST", "/db/db1/users/full", """{"readFrom":"^cpu$"}"""),
            [Is(Who.DbAdmin, 400, "Changing permissions requires passing readFrom and writeTo"), Is(Who.Full, 400, "Changing permissions requires passing readFrom and writeTo")]);
        t.Add("POST /db/:db/users/:user {readFrom, writeTo} (not strings)", new Op("POST", "/db/db1/users/full", """{"readFrom":1,"writeTo":".*"}"""),
            [Is(Who.DbAdmin, 400, "readFrom and writeTo must be strings"), Is(Who.Full, 400, "readFrom and writeTo must be strings")]);
        // "writeTo without readFrom is silently ignored".
        t.Add("POST /db/:db/users/:user {writeTo} (alone)", new Op("POST", "/db/db1/users/wonly", """{"writeTo":"^cpu$"}""")
        {
            Setup = [NewUser("wonly")],
            Then = [AsRoot(Show("wonly"), 200, User("wonly"))],
            Cleanup = [Delete("wonly")],
        }, [Is(Who.DbAdmin, 200), Is(Who.Full, 200)]);
        t.Add("POST /db/:db/users/:user {readFrom, writeTo} (invalid regex)", new Op("POST", "/db/db1/users/badre", """{"readFrom":"(","writeTo":".*"}""")
        {
            Setup = [NewUser("badre")],
            Then = [AsRoot(Show("badre"), 200, User("badre"))],
            Cleanup = [Delete("badre")],
        }, [Is(Who.DbAdmin, 400, "Invalid regex (: …")]);
        t.Add("POST /db/:db/users/:user {readFrom, writeTo} (unknown)", new Op("POST", "/db/db1/users/nosuch", """{"readFrom":".*","writeTo":".*"}"""),
            [Is(Who.DbAdmin, 400, "Invalid username nosuch"), Is(Who.Full, 403, "Insufficient permissions to change db user permissions on db1")]);
    }
}
