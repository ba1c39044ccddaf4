using System.Globalization;

namespace Strata.Load;

/// <summary>How the generated values evolve along a series.</summary>
internal enum ValueKind
{
    /// <summary>A random walk with two decimals starting at 50 (always written as a float).</summary>
    Walk,
    /// <summary>0, 1, 2, … per series (written as integers).</summary>
    Counter,
    /// <summary>Uniform random doubles in [0, 100) (always written as floats).</summary>
    Random,
}

/// <summary>The wire format of write bodies.</summary>
internal enum BodyFormat
{
    /// <summary>InfluxDB 0.8 JSON, POSTed to <c>/db/&lt;db&gt;/series</c>.</summary>
    Json,
    /// <summary>InfluxDB line protocol, POSTed to <c>/write?db=</c> (0.9+ peers, for comparison).</summary>
    Line,
}

/// <summary>Command-line options of the load tool; <see cref="Usage"/> lists them.</summary>
internal sealed class Options
{
    public Uri Url { get; private set; } = new("http://127.0.0.1:8086");
    public string Database { get; private set; } = "load";
    public string User { get; private set; } = "root";
    public string Password { get; private set; } = "root";
    public int Series { get; private set; } = 1000;
    public int Points { get; private set; } = 1000;
    public int Columns { get; private set; } = 1;
    public int Batch { get; private set; } = 5000;
    public int Connections { get; private set; } = 4;
    public TimeSpan Interval { get; private set; } = TimeSpan.FromSeconds(10);
    public DateTimeOffset Start { get; private set; } = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public ValueKind Values { get; private set; } = ValueKind.Walk;
    public int Seed { get; private set; } = 42;
    public bool CreateDb { get; private set; }
    public string Precision { get; private set; } = "s";
    public BodyFormat Format { get; private set; } = BodyFormat.Json;
    public bool Sink { get; private set; }
    public bool DumpFirstBody { get; private set; }
    public string? Query { get; private set; }
    public string? Get { get; private set; }
    public int Repeat { get; private set; } = 50;
    public int Warmup { get; private set; } = 3;
    public TimeSpan Progress { get; private set; } = TimeSpan.FromSeconds(2);
    public TimeSpan Timeout { get; private set; } = TimeSpan.FromSeconds(100);
    public string? LatencyLog { get; private set; }
    public bool Help { get; private set; }

    /// <summary>Total points of the write workload.</summary>
    public long TotalPoints => (long)Series * Points;

    /// <summary>Nanoseconds in one unit of <see cref="Precision"/>.</summary>
    public long PrecisionNanoseconds => Precision switch
    {
        "s" => 1_000_000_000,
        "ms" => 1_000_000,
        _ => 1_000,
    };

    public const string Usage = """
        Strata.Load — HTTP load generator for Strata and other InfluxDB-compatible servers.

        Write mode (default): pre-builds every request body, then POSTs them over N keep-alive
        connections and prints points/s, requests/s and latency percentiles.
          --url URL            server base URL                        (default http://127.0.0.1:8086)
          --db NAME            database                               (default load)
          --user NAME          user, sent as u=                       (default root)
          --password PW        password, sent as p=                   (default root)
          --series N           number of series cpu.host0 …           (default 1000)
          --points N           points per series                      (default 1000)
          --columns N          value columns c0 … per point           (default 1)
          --batch N            points per request                     (default 5000)
          --connections N      concurrent keep-alive connections      (default 4)
          --interval D         time between a series' points          (default 10s; units us ms s m h d)
          --start TIME         time of the first point, RFC 3339      (default 2020-01-01T00:00:00Z)
          --values KIND        walk | counter | random                (default walk)
          --seed N             random seed; same seed, same bodies    (default 42)
          --precision P        s | ms | u: unit of the written times  (default s)
          --format F           json (0.8, /db/<db>/series) | line (/write?db=, for 0.9+ peers) (default json)
          --create-db          create the database first (201 and 409 are both fine)
          --dump-first-body    print the first request body to stdout and exit
          --sink               run against a built-in no-op HTTP server: the generator's own ceiling
          --progress D         progress line interval                 (default 2s)
          --timeout D          per-request timeout                    (default 100s)
          --latency-log FILE   write each request's start and latency (ms since the clock started)

        Query mode: --query TEXT
          GETs /db/<db>/series?q=TEXT (with --format line: /query?db=&q=) --warmup times, then
          --repeat times, and prints latency p50/p90/p99/max and the response size.
          --repeat N           measured requests                      (default 50)
          --warmup N           unmeasured requests first              (default 3)
        Raw GET mode: --get PATH
          the same loop, but GETs URL + PATH exactly as given (path and already URL-encoded query
          string), for peers without InfluxQL, e.g. VictoriaMetrics' /api/v1/query_range?query=…

          --help               this text

        Examples:
          Strata.Load --create-db --series 1000 --points 1000 --batch 5000 --connections 4
          Strata.Load --sink
          Strata.Load --query "select count(c0) from /cpu.*/" --repeat 50
          Strata.Load --dump-first-body --series 2 --points 3 | python3 -m json.tool
        """;

    /// <summary>Parses <c>--name value</c> and <c>--name=value</c>; throws <see cref="ArgumentException"/> naming the flag.</summary>
    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-'))
            {
                throw new ArgumentException($"unexpected argument \"{arg}\"");
            }

            var name = arg.TrimStart('-');
            string? inline = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                inline = name[(eq + 1)..];
                name = name[..eq];
            }

            string Value() => inline ?? (i + 1 < args.Length ? args[++i] : throw new ArgumentException($"--{name} needs a value"));

            switch (name)
            {
                case "url": o.Url = ParseUrl(Value()); break;
                case "db": o.Database = Value(); break;
                case "user": o.User = Value(); break;
                case "password": o.Password = Value(); break;
                case "series": o.Series = PositiveInt(name, Value()); break;
                case "points": o.Points = PositiveInt(name, Value()); break;
                case "columns": o.Columns = PositiveInt(name, Value()); break;
                case "batch": o.Batch = PositiveInt(name, Value()); break;
                case "connections": o.Connections = PositiveInt(name, Value()); break;
                case "interval": o.Interval = ParseDuration(name, Value()); break;
                case "start": o.Start = ParseTime(Value()); break;
                case "values": o.Values = ParseEnum<ValueKind>(name, Value()); break;
                case "seed": o.Seed = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "create-db": o.CreateDb = Flag(inline); break;
                case "precision": o.Precision = ParsePrecision(Value()); break;
                case "format": o.Format = ParseEnum<BodyFormat>(name, Value()); break;
                case "sink": o.Sink = Flag(inline); break;
                case "dump-first-body": o.DumpFirstBody = Flag(inline); break;
                case "query": o.Query = Value(); break;
                case "get": o.Get = ParseGetPath(Value()); break;
                case "repeat": o.Repeat = PositiveInt(name, Value()); break;
                case "warmup": o.Warmup = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "progress": o.Progress = ParseDuration(name, Value()); break;
                case "timeout": o.Timeout = ParseDuration(name, Value()); break;
                case "latency-log": o.LatencyLog = Value(); break;
                case "help" or "h": o.Help = true; break;
                default: throw new ArgumentException($"unknown flag --{name}");
            }
        }

        if (o.Query is not null && o.Get is not null)
        {
            throw new ArgumentException("--query and --get are exclusive");
        }

        var step = o.Interval.Ticks * 100;
        if (step % o.PrecisionNanoseconds != 0)
        {
            throw new ArgumentException($"--interval of {o.Interval.TotalMilliseconds} ms is not a whole number of --precision {o.Precision} units");
        }

        return o;
    }

    private static string ParseGetPath(string text) =>
        text.StartsWith('/') ? text : throw new ArgumentException($"--get wants a path starting with /, got \"{text}\"");

    private static bool Flag(string? inline) => inline is null || bool.Parse(inline);

    private static Uri ParseUrl(string text) =>
        Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ArgumentException($"--url {text} is not an http(s) URL");

    private static int PositiveInt(string name, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"--{name} wants a positive integer, got \"{text}\"");

    private static T ParseEnum<T>(string name, string text)
        where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new ArgumentException($"--{name} wants one of {string.Join(", ", Enum.GetNames<T>()).ToLowerInvariant()}, got \"{text}\"");

    private static string ParsePrecision(string text) => text switch
    {
        "s" or "ms" or "u" => text,
        _ => throw new ArgumentException($"--precision wants s, ms or u, got \"{text}\""),
    };

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUniversalTime()
            : throw new ArgumentException($"--start wants an RFC 3339 time, got \"{text}\"");

    /// <summary>One <c>&lt;integer&gt;&lt;unit&gt;</c> term: <c>us</c>, <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c> or <c>d</c>.</summary>
    internal static TimeSpan ParseDuration(string name, string text)
    {
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        if (digits > 0 && long.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            TimeSpan? value = text[digits..] switch
            {
                "us" => TimeSpan.FromMicroseconds(n),
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                "d" => TimeSpan.FromDays(n),
                _ => null,
            };
            if (value > TimeSpan.Zero)
            {
                return value.Value;
            }
        }

        throw new ArgumentException($"--{name} wants a duration such as 10s, 500ms or 1h, got \"{text}\"");
    }
}
