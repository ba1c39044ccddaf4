using System.Text;

namespace Strata.Server.Tests.Security.Matrix;

/// <summary>How a request presents credentials: <c>u</c>/<c>p</c> query parameters, an Authorization header, both, or nothing.</summary>
public sealed record Caller(string Label, string Query, string? Header = null)
{
    public static Caller User(string label, string user, string password) =>
        new(label, "u=" + Uri.EscapeDataString(user) + "&p=" + Uri.EscapeDataString(password));

    /// <summary>A Basic-style header (any scheme word works in 0.8, http-api.md §2.1), optionally beside query parameters.</summary>
    public static Caller Basic(string label, string userColonPassword, string scheme = "Basic", string query = "") =>
        new(label, query, scheme + " " + Convert.ToBase64String(Encoding.UTF8.GetBytes(userColonPassword)));

    /// <summary>The label as a name part for per-row objects: <c>other-db-user</c> → <c>other_db_user</c>.</summary>
    public string Slug => Label.Replace('-', '_');

    public string Apply(string path) =>
        Query.Length == 0 ? path : path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + Query;
}

/// <summary>
/// The principals the fixture creates (reference http-api.md §2.2, §7.1). Passwords respect the 4–56 byte rule (§2.3).
/// </summary>
public static class Who
{
    /// <summary>The cluster admin created on first start.</summary>
    public static readonly Caller Root = Caller.User("root", "root", "root");

    /// <summary>A second cluster admin: root has no special status (§2.4).</summary>
    public static readonly Caller Admin2 = Caller.User("admin2", "admin2", "admin2pw");

    /// <summary>db1 user with <c>isAdmin: true</c> and the default <c>.*</c> permissions.</summary>
    public static readonly Caller DbAdmin = Caller.User("dbadmin", "dbadmin", "dbadminpw");

    /// <summary>Plain db1 user with the default <c>.*</c> permissions.</summary>
    public static readonly Caller Full = Caller.User("full", "full", "fullpass");

    /// <summary>Plain db1 user with <c>readFrom</c> and <c>writeTo</c> both <c>^mem$</c>.</summary>
    public static readonly Caller Restricted = Caller.User("restricted", "restricted", "restrictedpw");

    /// <summary>Plain user of db2, a stranger to db1.</summary>
    public static readonly Caller OtherDbUser = Caller.User("other-db-user", "other", "otherpass");

    public static readonly Caller WrongPassword = Caller.User("wrong-password", "root", "wrongpass");

    public static readonly Caller UnknownUser = Caller.User("unknown-user", "nobody", "nobodypw");

    public static readonly Caller None = new("none", "");

    /// <summary>Cluster admin <c>twin</c>; db1 also has a plain user <c>twin</c> with another password (§2.2: the db user wins only when its password matches).</summary>
    public static readonly Caller TwinAdmin = Caller.User("twin-admin", "twin", "twinadminpw");

    /// <summary>db1's plain user <c>twin</c> (<c>^mem$</c> for both regexes), sharing its name with a cluster admin.</summary>
    public static readonly Caller TwinUser = Caller.User("twin-user", "twin", "twinuserpw");

    /// <summary>db3 has its own plain user <c>root</c>/<c>root</c> (<c>^$</c> for both), which shadows the cluster admin on db3's routes.</summary>
    public static readonly Caller RootShadowedInDb3 = Caller.User("root(db3-user)", "root", "root");
}

/// <summary>One request without its credentials, and what must hold around it.</summary>
public sealed record Op(string Method, string Path, string? Body = null)
{
    /// <summary>Requests run as root before the row's request; each must succeed.</summary>
    public Op[] Setup { get; init; } = [];

    /// <summary>Checks after the setup and before the row's request, e.g. a login that warms a credential cache.</summary>
    public Check[] Before { get; init; } = [];

    /// <summary>Checks after the row's request: the state it must (or must not) have changed.</summary>
    public Check[] Then { get; init; } = [];

    /// <summary>Requests run as root after the row, whatever happened; answers are ignored.</summary>
    public Op[] Cleanup { get; init; } = [];

    /// <summary>After the row, drop every continuous query of db1 but the fixture's baseline one (id 1).</summary>
    public bool DropAddedContinuousQueries { get; init; }
}

/// <summary>A follow-up request and its expected answer.</summary>
public sealed record Check(Caller Who, Op Request, int Status, string Body);

/// <summary>
/// One principal's expected answer. A body ending in <c>…</c> is a prefix (for Strata's own regex error reasons).
/// <see cref="KnownServerBug"/> marks a row where Strata is known to disagree with the reference: the row still runs,
/// and is skipped with that reason when it fails (and fails when it passes, so the marker gets removed).
/// </summary>
public sealed record Case(Caller Who, int Status, string Body, string? KnownServerBug = null)
{
    public bool Succeeds => Status < 300;

    public Case Bug(string reason) => this with { KnownServerBug = reason };
}

public sealed record Row(string Name, Caller Who, Op Request, int Status, string Body, string? KnownServerBug);

/// <summary>Rows keyed by "<c>what · principal</c>", so a theory over the keys shows one line per row.</summary>
public sealed class Table
{
    private readonly Dictionary<string, Row> _rows = new(StringComparer.Ordinal);

    public Row this[string name] => _rows[name];

    public void Add(string what, Op request, Case[] cases) => Add(what, _ => request, cases);

    /// <summary>One row per case; <paramref name="request"/> sees the case so mutating rows can use fresh names.</summary>
    public void Add(string what, Func<Case, Op> request, Case[] cases)
    {
        foreach (var c in cases)
        {
            var name = $"{what} · {c.Who.Label}";
            if (!_rows.TryAdd(name, new Row(name, c.Who, request(c), c.Status, c.Body, c.KnownServerBug)))
            {
                throw new InvalidOperationException("BUG: duplicate matrix row " + name);
            }
        }
    }

    public TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var name in _rows.Keys)
        {
            names.Add(name);
        }

        return names;
    }
}

/// <summary>Expected answers and bodies shared by the row tables.</summary>
public static class Expect
{
    public const string BadCredentials = "Invalid username/password";
    public const string NoCredentials = "Invalid database/username/password";

    /// <summary>Seconds precision, so points read back exactly as the fixture wrote them.</summary>
    public const string WritePath = "/db/db1/series?time_precision=s";

    public const string CpuPoint = """{"name":"cpu","columns":["time","sequence_number","v"],"points":[[1399996800,1,1]]}""";
    public const string MemPoint = """{"name":"mem","columns":["time","sequence_number","v"],"points":[[1399996800,1,2]]}""";
    public const string BaselineCq = "select * from nowrite into nowrite.copy";

    public static readonly string[] Databases = ["db1", "db2", "db3"];
    public static readonly string[] ClusterAdmins = ["admin2", "root", "twin"];

    public static readonly Caller[] Everyone =
        [Who.Root, Who.Admin2, Who.DbAdmin, Who.Full, Who.Restricted, Who.OtherDbUser, Who.WrongPassword, Who.UnknownUser, Who.None];

    public static Case Is(Caller who, int status, string body = "") => new(who, status, body);

    /// <summary>401 with 0.8's message: no credentials at all, or credentials that match nobody the route accepts (§2.2).</summary>
    public static Case[] Refused(params Caller[] who) =>
        [.. who.Select(w => Is(w, 401, ReferenceEquals(w, Who.None) ? NoCredentials : BadCredentials))];

    public static Case[] Answer(int status, string body, params Caller[] who) => [.. who.Select(w => Is(w, status, body))];

    /// <summary>Everyone a DU→CA route of db1 rejects at authentication (§2.2).</summary>
    public static Case[] StrangersToDb1 => Refused(Who.OtherDbUser, Who.WrongPassword, Who.UnknownUser, Who.None);

    public static string Q(string query, string db = "db1") => $"/db/{db}/series?q={Uri.EscapeDataString(query)}&time_precision=s";

    public static Op Get(string path) => new("GET", path);

    public static Op Statement(string query, string db = "db1") => Get(Q(query, db));

    public static Op WriteOne(string series, int value) =>
        new("POST", WritePath, $$"""[{"name":"{{series}}","columns":["time","sequence_number","v"],"points":[[1399996800,1,{{value}}]]}]""");

    public static string Points(string series, int value) =>
        $$"""[{"name":"{{series}}","columns":["time","sequence_number","v"],"points":[[1399996800,1,{{value}}]]}]""";

    public static string Names(IEnumerable<string> names) =>
        "[" + string.Join(",", names.Order(StringComparer.Ordinal).Select(n => $$"""{"name":"{{n}}"}""")) + "]";

    public static string DatabasesWith(params string[] extra) => Names(Databases.Concat(extra));

    public static string ClusterAdminsWith(params string[] extra) => Names(ClusterAdmins.Concat(extra));

    public static string User(string name, bool admin = false, string writeTo = ".*", string readFrom = ".*") =>
        $$"""{"name":"{{name}}","isAdmin":{{(admin ? "true" : "false")}},"writeTo":"{{writeTo}}","readFrom":"{{readFrom}}"}""";

    public static readonly string[] Db1Users =
        [User("dbadmin", admin: true), User("full"), User("restricted", writeTo: "^mem$", readFrom: "^mem$"), User("twin", writeTo: "^mem$", readFrom: "^mem$")];

    public static string ContinuousQueries(params string[] added) =>
        """[{"name":"continuous queries","columns":["time","id","query"],"points":[[0,1,"select * from \"nowrite\" into nowrite.copy"]"""
        + string.Concat(added.Select((q, i) => $",[0,{i + 2},\"{q.Replace("\"", "\\\"", StringComparison.Ordinal)}\"]"))
        + "]}]";

    public const string Db1Series = """[{"name":"list_series_result","columns":["time","name"],"points":[[0,"cpu"],[0,"mem"]]}]""";
    public const string NoSeries = """[{"name":"list_series_result","columns":["time","sequence_number","name"],"points":[]}]""";

    /// <summary>A check that <paramref name="user"/> can (200) or cannot (401) log in at <paramref name="route"/>.</summary>
    public static Check Login(string route, string user, string password, bool ok) =>
        new(Caller.User("login", user, password), Get(route), ok ? 200 : 401, ok ? "" : BadCredentials);

    public static Check AsRoot(Op request, int status, string body) => new(Who.Root, request, status, body);
}
