using static Strata.Server.Tests.Security.Matrix.Expect;

namespace Strata.Server.Tests.Security.Matrix;

/// <summary>
/// Writes, every query kind and the drop-series route (reference http-api.md §3 rows 2–4, §4.2–4.4, §6.7, §7.2–7.3;
/// query-examples.md §17, C11, D08). All DU→CA: cluster admins read and write everything; db users as their regexes
/// allow; only cluster admins and db admins delete, drop and manage continuous queries.
/// </summary>
public static class SeriesRows
{
    private const string Cpu = "[" + CpuPoint + "]";
    private const string Mem = "[" + MemPoint + "]";
    private const string CpuAndMem = "[" + CpuPoint + "," + MemPoint + "]";

    /// <summary>Cluster admins and db1's admin, who may run every statement.</summary>
    private static Case[] Admins(int status, string body) => Answer(status, body, Who.Root, Who.Admin2, Who.TwinAdmin, Who.DbAdmin);

    /// <summary>db1's plain users, whatever their regexes.</summary>
    private static Case[] PlainUsers(int status, string body) => Answer(status, body, Who.Full, Who.Restricted, Who.TwinUser);

    /// <summary>An admin-only statement (§7.3): admins get the answer, plain users 403, strangers 401.</summary>
    private static Case[] AdminOnly(int status, string body, string forbidden) => [.. Admins(status, body), .. PlainUsers(403, forbidden), .. StrangersToDb1];

    /// <summary>Built after the fields above (static initialisers run in textual order).</summary>
    public static readonly Table Table = Build();

    private static Table Build()
    {
        var t = new Table();
        AddSelects(t);
        AddAdminStatements(t);
        AddWrites(t);
        return t;
    }

    /// <summary>§7.3 rows "select from named series", "select from /regex/", "merge/join", "mixed from-lists", "list series".</summary>
    private static void AddSelects(Table t)
    {
        t.Add("select * from mem", Statement("select * from mem"),
            [.. Admins(200, Mem), .. PlainUsers(200, Mem), .. StrangersToDb1]);
        t.Add("select * from cpu", Statement("select * from cpu"),
        [
            .. Admins(200, Cpu), Is(Who.Full, 200, Cpu),
            .. Answer(403, "User doesn't have read access to cpu", Who.Restricted, Who.TwinUser), .. StrangersToDb1,
        ]);
        // Unreadable series are silently left out of a regex select.
        t.Add("select * from /.*/", Statement("select * from /.*/"),
            [.. Admins(200, CpuAndMem), Is(Who.Full, 200, CpuAndMem), .. Answer(200, Mem, Who.Restricted, Who.TwinUser), .. StrangersToDb1]);
        t.Add("select * from /^c/", Statement("select * from /^c/"), [Is(Who.Full, 200, Cpu), Is(Who.Restricted, 200, "[]")]);
        t.Add("select v from /.*/ where v > 0", Statement("select v from /.*/ where v > 0"), [Is(Who.DbAdmin, 200, CpuAndMem), Is(Who.Restricted, 200, Mem)]);
        // Strata choice: every named element of a from-list is checked.
        t.Add("select * from mem, cpu", Statement("select * from mem, cpu"),
            [Is(Who.Full, 200, CpuAndMem), Is(Who.Restricted, 403, "User doesn't have read access to cpu"), .. Refused(Who.OtherDbUser)]);
        t.Add("select * from cpu, mem", Statement("select * from cpu, mem"), [Is(Who.Restricted, 403, "User doesn't have read access to cpu")]);
        t.Add("select * from mem merge cpu", Statement("select * from mem merge cpu"), [Is(Who.Restricted, 403, "User doesn't have read access to cpu")]);
        t.Add("select * from merge(mem, cpu)", Statement("select * from merge(mem, cpu)"), [Is(Who.Restricted, 403, "User doesn't have read access to cpu")]);
        t.Add("select * from mem inner join cpu", Statement("select * from mem inner join cpu"), [Is(Who.Restricted, 403, "User doesn't have read access to cpu")]);
        t.Add("select * from mem as m inner join cpu as c", Statement("select * from mem as m inner join cpu as c"), [Is(Who.Restricted, 403, "User doesn't have read access to cpu")]);
        // query-language.md §12 (Recommendation): names a merge or join regex expands to are checked as they are read;
        // an unreadable one fails the query (0.8.8: status 400, recommended 403).
        const string NotAllSeries = "User does not have access to one or more of the series requested.";
        t.Add("select * from merge(/.*/)", Statement("select * from merge(/.*/)"),
            [Is(Who.Restricted, 403, NotAllSeries)]);
        t.Add("select * from join(/.*/)", Statement("select * from join(/.*/)"),
            [Is(Who.Restricted, 403, NotAllSeries)]);
        t.Add("select * from \"cpu\"", Statement("select * from \"cpu\""), [Is(Who.Full, 200, Cpu), Is(Who.Restricted, 403, "User doesn't have read access to cpu")]);
        t.Add("select * from /CPU/i", Statement("select * from /CPU/i"), [Is(Who.Full, 200, Cpu), Is(Who.Restricted, 200, "[]")]);
        t.Add("select * from join(mem, cpu)", Statement("select * from join(mem, cpu)"), [Is(Who.Restricted, 403, "User doesn't have read access to cpu")]);
        t.Add("select count(v) from cpu", Statement("select count(v) from cpu"), [Is(Who.Restricted, 403, "User doesn't have read access to cpu")]);
        // §6.6: chunked answers are bare objects, an empty result is an empty body, and a refusal comes before the first chunk.
        t.Add("select * from /.*/ (chunked)", Get(Q("select * from /.*/") + "&chunked=true"),
            [Is(Who.Full, 200, CpuPoint + MemPoint), Is(Who.Restricted, 200, MemPoint)]);
        t.Add("select * from /^c/ (chunked)", Get(Q("select * from /^c/") + "&chunked=true"), [Is(Who.Restricted, 200, "")]);
        t.Add("select * from cpu (chunked)", Get(Q("select * from cpu") + "&chunked=true"),
            [Is(Who.Full, 200, CpuPoint), Is(Who.Restricted, 403, "User doesn't have read access to cpu"), .. Refused(Who.None)]);
        AddRegexSemantics(t);
        // The first failing statement fails the request, whatever the others would allow.
        t.Add("select * from mem; select * from cpu", Statement("select * from mem; select * from cpu"),
            [Is(Who.Full, 200, CpuAndMem), Is(Who.Restricted, 403, "User doesn't have read access to cpu")]);
        // A select of a series that does not exist checks the permission first.
        t.Add("select * from nosuch", Statement("select * from nosuch"),
            [Is(Who.Full, 400, "Couldn't find series: nosuch"), Is(Who.Restricted, 403, "User doesn't have read access to nosuch")]);

        // §6.7, §7.3: no read filtering for list series.
        t.Add("list series", Statement("list series"), [.. Admins(200, Db1Series), .. PlainUsers(200, Db1Series), .. StrangersToDb1]);
        t.Add("list series /c/", Statement("list series /c/"),
            [Is(Who.Restricted, 200, """[{"name":"list_series_result","columns":["time","name"],"points":[[0,"cpu"]]}]""")]);
        t.Add("list series (db2)", Statement("list series", "db2"), [Is(Who.OtherDbUser, 200, NoSeries), Is(Who.Root, 200, NoSeries), .. Refused(Who.DbAdmin, Who.Full)]);
        // §4.2: the database is not checked for existence; its users do not exist either.
        t.Add("list series (missing db)", Statement("list series", "nosuch"), [Is(Who.Root, 200, NoSeries), .. Refused(Who.DbAdmin)]);
        // §4.2: time_precision is checked after authentication on queries.
        t.Add("list series (bad time_precision)", Get("/db/db1/series?q=list%20series&time_precision=x"),
            [Is(Who.Full, 400, "Unknown time precision x"), .. Refused(Who.WrongPassword, Who.None)]);
    }

    /// <summary>
    /// §7.2: a regex allows a series when it matches anywhere in the name (unanchored, case-sensitive); <c>""</c> allows
    /// everything and <c>^$</c> nothing. Each row creates its own user with <c>readFrom</c> = <c>writeTo</c> = the regex.
    /// </summary>
    private static void AddRegexSemantics(Table t)
    {
        void Add(string regex, string slug, string series, bool allowed)
        {
            var user = "re_" + slug;
            var who = Caller.User($"readFrom {regex}", user, "before123");
            var setup = new Op("POST", "/db/db1/users", $$"""{"name":"{{user}}","password":"before123","readFrom":"{{regex}}","writeTo":"{{regex}}"}""");
            var cleanup = new Op("DELETE", "/db/db1/users/" + user);
            var body = series == "cpu" ? Cpu : Mem;
            t.Add($"select * from {series}", Statement($"select * from {series}") with { Setup = [setup], Cleanup = [cleanup] },
                [Is(who, allowed ? 200 : 403, allowed ? body : "User doesn't have read access to " + series)]);
            t.Add($"POST /db/:db/series ({series})", new Op("POST", WritePath, body) { Setup = [setup], Cleanup = [cleanup] },
                [Is(who, allowed ? 200 : 403, allowed ? "" : $"User {user} doesn't have write permissions for {series}")]);
        }

        Add("em", "em", "mem", allowed: true);
        Add("em", "em", "cpu", allowed: false);
        Add("MEM", "upper", "mem", allowed: false);
        Add("^m|^c", "alt", "cpu", allowed: true);
        Add("^$", "nothing", "mem", allowed: false);

        // §7.1: a db admin manages the database, but "reads and writes still limited by its own readFrom/writeTo".
        var narrowAdmin = Caller.User("db-admin with readFrom ^mem$", "radmin", "before123");
        Op AsNarrowAdmin(Op op) => op with
        {
            Setup = [new("POST", "/db/db1/users", """{"name":"radmin","password":"before123","isAdmin":true,"readFrom":"^mem$","writeTo":"^mem$"}"""), .. op.Setup],
            Cleanup = [.. op.Cleanup, new("DELETE", "/db/db1/users/radmin")],
        };
        t.Add("select * from cpu", AsNarrowAdmin(Statement("select * from cpu")), [Is(narrowAdmin, 403, "User doesn't have read access to cpu")]);
        t.Add("select * from /.*/", AsNarrowAdmin(Statement("select * from /.*/")), [Is(narrowAdmin, 200, Mem)]);
        t.Add("POST /db/:db/series (cpu)", AsNarrowAdmin(new Op("POST", WritePath, Cpu)), [Is(narrowAdmin, 403, "User radmin doesn't have write permissions for cpu")]);
        t.Add("list continuous queries", AsNarrowAdmin(Statement("list continuous queries")), [Is(narrowAdmin, 200, ContinuousQueries())]);
        t.Add("drop series", AsNarrowAdmin(Statement("drop series ds_narrow") with
        {
            Setup = [WriteOne("ds_narrow", 7)],
            Then = [AsRoot(Statement("select * from ds_narrow"), 400, "Couldn't find series: ds_narrow")],
            Cleanup = [Statement("drop series ds_narrow")],
        }), [Is(narrowAdmin, 200, "[]")]);

        // §7.4: fan-out copies are written without permission checks, so a writer limited to ^fan$ fills fan.copy,
        // which it may still not read.
        var fanWriter = Caller.User("writeTo ^fan$ (fan-out CQ)", "fanw", "before123");
        t.Add("POST /db/:db/series (into a fan-out CQ)", new Op("POST", WritePath, Points("fan", 7))
        {
            Setup =
            [
                new("POST", "/db/db1/users", """{"name":"fanw","password":"before123","readFrom":"^fan$","writeTo":"^fan$"}"""),
                Statement("select * from fan into fan.copy"),
            ],
            Then =
            [
                AsRoot(Statement("select * from fan.copy"), 200, Points("fan.copy", 7)),
                new(fanWriter, Statement("select * from fan.copy"), 403, "User doesn't have read access to fan.copy"),
            ],
            Cleanup = [Statement("drop series fan"), Statement("drop series fan.copy"), new("DELETE", "/db/db1/users/fanw")],
            DropAddedContinuousQueries = true,
        }, [Is(fanWriter, 200)]);
    }

    /// <summary>§7.3 admin-only rows; query-examples.md C11 and D08.</summary>
    private static void AddAdminStatements(Table t)
    {
        // Nothing lies before 1000000000 s, so an allowed delete changes nothing and rows stay independent.
        t.Add("delete from cpu (empty range)", Statement("delete from cpu where time < 1000000000s") with
        {
            Then = [AsRoot(Statement("select * from cpu"), 200, Cpu)],
        }, AdminOnly(200, "[]", "Insufficient permission to write to db1"));
        t.Add("delete from mem (in restricted's writeTo)", Statement("delete from mem where time < 1000000000s"),
            [Is(Who.Restricted, 403, "Insufficient permission to write to db1")]);
        t.Add("delete from /.*/ (empty range)", Statement("delete from /.*/ where time < 1000000000s"),
            [Is(Who.DbAdmin, 200, "[]"), Is(Who.Full, 403, "Insufficient permission to write to db1")]);
        t.Add("delete from (whole series)", c => Statement("delete from dl_" + c.Who.Slug) with
        {
            Setup = [WriteOne("dl_" + c.Who.Slug, 7)],
            Then = [AsRoot(Statement("select * from dl_" + c.Who.Slug), 200, c.Succeeds ? "[]" : Points("dl_" + c.Who.Slug, 7))],
            Cleanup = [Statement("drop series dl_" + c.Who.Slug)],
        }, [Is(Who.DbAdmin, 200, "[]"), .. Answer(403, "Insufficient permission to write to db1", Who.Full, Who.Restricted)]);

        // A dropped series is gone from the metadata at once (query-language.md §11.2); a refused drop keeps the data.
        t.Add("drop series", c =>
        {
            var name = "ds_" + c.Who.Slug;
            return Statement("drop series " + name) with
            {
                Setup = [WriteOne(name, 7)],
                Then = [AsRoot(Statement("select * from " + name), c.Succeeds ? 400 : 200, c.Succeeds ? "Couldn't find series: " + name : Points(name, 7))],
                Cleanup = [Statement("drop series " + name)],
            };
        }, AdminOnly(200, "[]", "Insufficient permissions to drop series"));
        t.Add("drop series (unknown)", Statement("drop series nosuch"), [Is(Who.DbAdmin, 200, "[]"), Is(Who.Full, 403, "Insufficient permissions to drop series")]);

        // §4.4: 204 even when nothing is there.
        t.Add("DELETE /db/:db/series/:series", c =>
        {
            var name = "dr_" + c.Who.Slug;
            return new Op("DELETE", "/db/db1/series/" + name)
            {
                Setup = [WriteOne(name, 7)],
                Then = [AsRoot(Statement("select * from " + name), c.Succeeds ? 400 : 200, c.Succeeds ? "Couldn't find series: " + name : Points(name, 7))],
                Cleanup = [Statement("drop series " + name)],
            };
        }, AdminOnly(204, "", "Insufficient permissions to drop series"));
        t.Add("DELETE /db/:db/series/:series (unknown)", new Op("DELETE", "/db/db1/series/nosuch"),
            [Is(Who.DbAdmin, 204), Is(Who.Full, 403, "Insufficient permissions to drop series")]);
        t.Add("DELETE /db/:db/series/:series (db2)", new Op("DELETE", "/db/db2/series/nosuch"),
            [Is(Who.OtherDbUser, 403, "Insufficient permissions to drop series"), .. Refused(Who.DbAdmin)]);

        // §6.7: creating a continuous query answers []; ids are max + 1 (query-language.md §10.1), so the first added is 2.
        t.Add("select … into (create continuous query)", c =>
        {
            var source = "cqsrc_" + c.Who.Slug;
            var target = "cqdst_" + c.Who.Slug;
            return Statement($"select * from {source} into {target}") with
            {
                Then = [AsRoot(Statement("list continuous queries"), 200, c.Succeeds ? ContinuousQueries($"select * from \"{source}\" into {target}") : ContinuousQueries())],
                DropAddedContinuousQueries = true,
            };
        }, AdminOnly(200, "[]", "Insufficient permissions to create continuous query"));
        t.Add("list continuous queries", Statement("list continuous queries"),
            AdminOnly(200, ContinuousQueries(), "Insufficient permissions to list continuous queries"));
        t.Add("drop continuous query", c => Statement("drop continuous query 2") with
        {
            Setup = [Statement("select * from cqdrop into cqdrop.copy")],
            Then = [AsRoot(Statement("list continuous queries"), 200, c.Succeeds ? ContinuousQueries() : ContinuousQueries("select * from \"cqdrop\" into cqdrop.copy"))],
            DropAddedContinuousQueries = true,
        }, AdminOnly(200, "[]", "Insufficient permissions to delete continuous query"));
        t.Add("drop continuous query (unknown id)", Statement("drop continuous query 999"),
            [Is(Who.DbAdmin, 200, "[]"), Is(Who.Full, 403, "Insufficient permissions to delete continuous query")]);
    }

    /// <summary>§7.3 row "write": writeTo must match every series of the request, else 403 and nothing is written.</summary>
    private static void AddWrites(Table t)
    {
        // Rewriting the fixture's own points (same time and sequence number, same value) leaves the data as it was.
        var mem = new Op("POST", WritePath, Mem) { Then = [AsRoot(Statement("select * from mem"), 200, Mem)] };
        t.Add("POST /db/:db/series (mem)", mem, [.. Admins(200, ""), .. PlainUsers(200, ""), .. StrangersToDb1]);
        var cpu = new Op("POST", WritePath, Cpu) { Then = [AsRoot(Statement("select * from cpu"), 200, Cpu)] };
        t.Add("POST /db/:db/series (cpu)", cpu,
        [
            .. Admins(200, ""), Is(Who.Full, 200),
            Is(Who.Restricted, 403, "User restricted doesn't have write permissions for cpu"),
            Is(Who.TwinUser, 403, "User twin doesn't have write permissions for cpu"),
            .. StrangersToDb1,
        ]);
        t.Add("POST /db/:db/series (mem and a new series)", c =>
        {
            var name = "wp_" + c.Who.Slug;
            return new Op("POST", WritePath, "[" + MemPoint + "," + Points(name, 7)[1..^1] + "]")
            {
                Then = [AsRoot(Statement("select * from " + name), c.Succeeds ? 200 : 400, c.Succeeds ? Points(name, 7) : "Couldn't find series: " + name)],
                Cleanup = [Statement("drop series " + name)],
            };
        }, [Is(Who.Full, 200), Is(Who.Restricted, 403, "User restricted doesn't have write permissions for wp_restricted"), Is(Who.TwinUser, 403, "User twin doesn't have write permissions for wp_twin_user")]);
        // db3's own plain user root (writeTo ^$) shadows the cluster admin there.
        t.Add("POST /db/:db/series (db3)", new Op("POST", "/db/db3/series?time_precision=s", Points("x3", 7))
        {
            Then = [new(Who.Admin2, Statement("list series", "db3"), 200, NoSeries)],
        }, [Is(Who.RootShadowedInDb3, 403, "User root doesn't have write permissions for x3")]);
        // §4.3 and §12 item 5: on writes, time_precision is checked before authentication.
        t.Add("POST /db/:db/series (bad time_precision)", new Op("POST", "/db/db1/series?time_precision=x", Mem),
            Answer(400, "Unknown time precision x", Who.Full, Who.WrongPassword, Who.None));
    }
}
