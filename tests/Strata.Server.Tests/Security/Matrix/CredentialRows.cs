using static Strata.Server.Tests.Security.Matrix.Expect;

namespace Strata.Server.Tests.Security.Matrix;

/// <summary>
/// The Authorization-header forms of http-api.md §2.1 for principals other than root (Http/AuthTests covers root), on each
/// auth mode: CA (<c>/cluster_admins/authenticate</c>), DU (<c>/db/db1/authenticate</c>), DU→CA with the db-admin check
/// (<c>/db/db1/users</c>), DU→CA with readFrom (<c>select * from cpu</c>) and writeTo (a write to cpu), and none (<c>/ping</c>).
/// </summary>
public static class CredentialRows
{
    private static readonly Caller BasicAdmin2 = Caller.Basic("basic-admin2", "admin2:admin2pw");
    private static readonly Caller BasicDbAdmin = Caller.Basic("basic-dbadmin", "dbadmin:dbadminpw");
    private static readonly Caller BasicFull = Caller.Basic("basic-full", "full:fullpass");
    private static readonly Caller BasicRestricted = Caller.Basic("basic-restricted", "restricted:restrictedpw");
    private static readonly Caller BasicOtherDbUser = Caller.Basic("basic-other-db-user", "other:otherpass");
    private static readonly Caller BasicWrongPassword = Caller.Basic("basic-wrong-password", "full:wrongpass");
    private static readonly Caller BasicTwinUser = Caller.Basic("basic-twin-user", "twin:twinuserpw");
    private static readonly Caller BasicTwinAdmin = Caller.Basic("basic-twin-admin", "twin:twinadminpw");

    /// <summary>The scheme word is not checked.</summary>
    private static readonly Caller AnySchemeFull = Caller.Basic("any-scheme-full", "full:fullpass", scheme: "Token");

    /// <summary>Only <c>p</c> is given, so the header counts: dbadmin.</summary>
    private static readonly Caller POnlyThenBasicDbAdmin = Caller.Basic("p-only+basic-dbadmin", "dbadmin:dbadminpw", query: "p=fullpass");

    /// <summary><c>u</c> and <c>p</c> both given, so the header is ignored: full, not dbadmin.</summary>
    private static readonly Caller UpFullOverBasicDbAdmin = Caller.Basic("u&p-full+basic-dbadmin", "dbadmin:dbadminpw", query: "u=full&p=fullpass");

    private static readonly Caller OnePartHeader = new("header-one-part", "", "Basic");
    private static readonly Caller NotBase64 = new("header-not-base64", "", "Basic !!!!");
    private static readonly Caller NoColon = Caller.Basic("header-no-colon", "fullfullpass");
    private static readonly Caller ColonInPassword = Caller.Basic("header-colon-in-password", "full:full:pass");

    /// <summary>Built after the fields above (static initialisers run in textual order).</summary>
    public static readonly Table Table = Build();

    private static Table Build()
    {
        var t = new Table();
        t.Add("GET /cluster_admins/authenticate", Get("/cluster_admins/authenticate"),
        [
            Is(BasicAdmin2, 200), Is(BasicTwinAdmin, 200),
            .. Refused(BasicDbAdmin, BasicFull, BasicTwinUser, AnySchemeFull),
            Is(OnePartHeader, 400, "Bad auth header"), Is(NotBase64, 400, "Bad encoding"), Is(NoColon, 400, "Bad auth value"),
        ]);
        t.Add("GET /db/:db/authenticate", Get("/db/db1/authenticate"),
        [
            .. Answer(200, "", BasicDbAdmin, BasicFull, BasicRestricted, BasicTwinUser, AnySchemeFull, POnlyThenBasicDbAdmin),
            .. Refused(BasicAdmin2, BasicTwinAdmin, BasicOtherDbUser, BasicWrongPassword),
            Is(OnePartHeader, 400, "Bad auth header"), Is(NotBase64, 400, "Bad encoding"), Is(NoColon, 400, "Bad auth value"),
            Is(ColonInPassword, 400, "Bad auth value"),
        ]);
        var users = "[" + string.Join(",", Db1Users) + "]";
        t.Add("GET /db/:db/users", Get("/db/db1/users"),
        [
            .. Answer(200, users, BasicAdmin2, BasicTwinAdmin, BasicDbAdmin, POnlyThenBasicDbAdmin),
            .. Answer(403, "Insufficient permissions to list db users on db1", BasicFull, BasicTwinUser, AnySchemeFull, UpFullOverBasicDbAdmin),
            .. Refused(BasicOtherDbUser, BasicWrongPassword),
            Is(OnePartHeader, 400, "Bad auth header"), Is(NotBase64, 400, "Bad encoding"), Is(NoColon, 400, "Bad auth value"),
        ]);
        var cpu = "[" + CpuPoint + "]";
        t.Add("select * from cpu", Statement("select * from cpu"),
        [
            .. Answer(200, cpu, BasicAdmin2, BasicDbAdmin, BasicFull, AnySchemeFull),
            .. Answer(403, "User doesn't have read access to cpu", BasicRestricted, BasicTwinUser),
            .. Refused(BasicOtherDbUser, BasicWrongPassword),
            Is(OnePartHeader, 400, "Bad auth header"), Is(NotBase64, 400, "Bad encoding"), Is(NoColon, 400, "Bad auth value"),
        ]);
        t.Add("POST /db/:db/series (cpu)", new Op("POST", WritePath, "[" + CpuPoint + "]"),
        [
            .. Answer(200, "", BasicAdmin2, BasicFull),
            Is(BasicRestricted, 403, "User restricted doesn't have write permissions for cpu"),
            .. Refused(BasicOtherDbUser),
            Is(OnePartHeader, 400, "Bad auth header"),
        ]);
        // No authentication, so a malformed header does not matter.
        t.Add("GET /ping", Get("/ping"), Answer(200, """{"status":"ok"}""", OnePartHeader, NotBase64, NoColon, BasicWrongPassword));
        // §1.2: OPTIONS answers every route with 200 and an empty body, without authentication.
        foreach (var path in (string[])["/db", "/db/db1", "/cluster_admins", "/cluster_admins/admin2", "/db/db1/authenticate", "/db/db1/users", "/db/db1/users/full", "/db/db1/series", "/db/db1/series/cpu"])
        {
            t.Add("OPTIONS " + path, new Op("OPTIONS", path), Answer(200, "", Who.None, Who.WrongPassword));
        }

        // §1.2: HEAD runs the GET handler, authentication included, and sends no body.
        t.Add("HEAD /db", new Op("HEAD", "/db"), [Is(Who.Admin2, 200), Is(Who.DbAdmin, 401), Is(Who.None, 401)]);
        t.Add("HEAD /db/:db/users", new Op("HEAD", "/db/db1/users"), [Is(Who.DbAdmin, 200), Is(Who.Full, 403), Is(Who.None, 401)]);
        return t;
    }
}
