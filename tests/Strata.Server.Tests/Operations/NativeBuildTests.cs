using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Operations;

/// <summary>
/// The native binary `dotnet publish` makes (the server project sets PublishAot) is what the benchmarks run and what a
/// user may deploy. Native compilation drops code it cannot see being used, so these tests publish it once, from a
/// copy of the sources, and check it against the JIT build the rest of the suite tests: the same requests get the same
/// statuses and byte-identical bodies, and a SIGKILL loses no acknowledged point.
/// </summary>
public sealed class NativeBuildTests(NativeBuildTests.NativeBuild build) : IClassFixture<NativeBuildTests.NativeBuild>
{
    [Fact]
    public async Task NativeBinary_AnswersEveryRequestLikeTheJitBuild()
    {
        var jitDir = TestServer.NewDataDir();
        var nativeDir = TestServer.NewDataDir();
        try
        {
            using var jit = await ChildServer.StartAsync(jitDir, "[logging]\nlevel = \"warn\"");
            using var native = await ChildServer.StartAsync(nativeDir, "[logging]\nlevel = \"warn\"", build.Executable);
            foreach (var step in Script())
            {
                var (jitStatus, jitBody) = await SendAsync(jit, step);
                var (nativeStatus, nativeBody) = await SendAsync(native, step);
                if (step.Until is not null)
                {
                    (jitStatus, jitBody) = await AwaitAsync(jit, step, jitStatus, jitBody);
                    (nativeStatus, nativeBody) = await AwaitAsync(native, step, nativeStatus, nativeBody);
                    jitBody.ShouldContain(step.Until, Case.Sensitive, $"{step}: the JIT build never answered it");
                }

                jitStatus.ShouldBe(step.Status, $"{step}: JIT build answered {jitBody}");
                nativeStatus.ShouldBe(step.Status, $"{step}: native build answered {nativeBody}");
                nativeBody.ShouldBe(jitBody, step.ToString());
            }
        }
        finally
        {
            TestServer.DeleteDataDir(jitDir);
            TestServer.DeleteDataDir(nativeDir);
        }
    }

    [Fact]
    public async Task NativeBinary_KeepsAcknowledgedPointsAcrossSigkill()
    {
        var dataDir = TestServer.NewDataDir();
        try
        {
            string before;
            using (var server = await ChildServer.StartAsync(dataDir, "memtable-size = \"1m\"", build.Executable))
            {
                (await SendAsync(server, Step.Post("/db", """{"name":"native"}"""))).Status.ShouldBe(HttpStatusCode.Created);
                for (var batch = 0; batch < 40; batch++)
                {
                    (await SendAsync(server, Step.Post("/db/native/series?time_precision=s", WalkBody(batch)))).Status.ShouldBe(HttpStatusCode.OK);
                }

                before = (await SendAsync(server, Step.Query("select count(value), sum(value), max(value) from /.*/"))).Body;
                before.ShouldContain("\"count\"");
                server.Kill();
            }

            using (var restarted = await ChildServer.StartAsync(dataDir, "memtable-size = \"1m\"", build.Executable))
            {
                var after = await SendAsync(restarted, Step.Query("select count(value), sum(value), max(value) from /.*/"));
                after.Status.ShouldBe(HttpStatusCode.OK);
                after.Body.ShouldBe(before);
            }
        }
        finally
        {
            TestServer.DeleteDataDir(dataDir);
        }
    }

    /// <summary>Writes of every value type and body form, queries through each part of the engine, errors, users.</summary>
    private static IEnumerable<Step> Script()
    {
        yield return Step.Get("/ping", auth: false);
        yield return Step.Post("/db", """{"name":"native"}""", HttpStatusCode.Created);
        yield return Step.Post("/db", """{"name":"native"}""", HttpStatusCode.Conflict);
        yield return Step.Get("/db");
        for (var batch = 0; batch < 4; batch++)
        {
            yield return Step.Post("/db/native/series?time_precision=s", WalkBody(batch));
        }

        yield return Step.Post("/db/native/series?time_precision=ms", """
            [{"name":"events","columns":["time","sequence_number","kind","ok","count","note"],
              "points":[[1400000000000,1,"deploy",true,3,null],[1400000060000,2,"rollback",false,-1,"late"]]},
             {"points":[[1400000000123,0.5]],"columns":["time","ratio"],"name":"mixed.order"}]
            """);
        yield return Step.Post("/db/native/series", """[{"name":"bad","columns":["time"],"points":[[1,2]]}]""", HttpStatusCode.BadRequest);
        yield return Step.Post("/db/native/series", "[{\"name\":", HttpStatusCode.BadRequest);
        yield return Step.Query("list series");
        yield return Step.Query("list series /^cpu/");
        yield return Step.Query("select * from cpu.host0 limit 5");
        yield return Step.Query("select * from /.*/ limit 1");
        yield return Step.Query("select count(value), mean(value), min(value), max(value), sum(value), stddev(value) from /^cpu/ group by time(1h)");
        yield return Step.Query("select percentile(value, 95), median(value), first(value), last(value), distinct(value) from cpu.host1 group by time(30m)");
        yield return Step.Query("select derivative(value), difference(value) from cpu.host2 group by time(10m)");
        yield return Step.Query("select mean(value) from cpu.host3 group by time(2h) fill(0) where time > '2014-05-13 16:00:00' and time < '2014-05-14 06:00:00'");
        yield return Step.Query("select value from /^cpu/ where value > 50 and value < 52.5");
        yield return Step.Query("select * from events where kind =~ /^dep/ or note = 'late'");
        yield return Step.Query("select * from cpu.host0 merge cpu.host1 limit 10");
        yield return Step.Query("select count(value) from cpu.host0 inner join cpu.host1 group by time(1h)");
        yield return Step.Query("select mean(value) from cpu.host0 group by time(1h) into cpu.host0.hourly");
        yield return Step.Query("list continuous queries");

        // The scheduler backfills a continuous query on its next one-second tick, on each server at its own time.
        yield return Step.Query("list series /hourly/") with { Until = "cpu.host0.hourly" };
        yield return Step.Query("select * from cpu.host0.hourly");
        yield return Step.Query("select * from nosuch", HttpStatusCode.BadRequest);
        yield return Step.Query("select mean(value from cpu.host0", HttpStatusCode.BadRequest);
        yield return Step.Query("delete from cpu.host4 where time < '2014-05-13 20:00:00'");
        yield return Step.Query("select count(value) from cpu.host4");
        yield return Step.Query("drop series cpu.host5");
        yield return Step.Query("list series");
        yield return Step.Post("/db/native/users", """{"name":"bob","password":"bobpass1"}""");
        yield return Step.Get("/db/native/users");
        yield return Step.Get("/db/native/series?u=bob&p=bobpass1&q=" + Uri.EscapeDataString("select count(value) from cpu.host0"), auth: false);
        yield return Step.Get("/db/native/series?u=bob&p=wrong&q=" + Uri.EscapeDataString("select count(value) from cpu.host0"), HttpStatusCode.Unauthorized, auth: false);
        yield return Step.Get("/cluster/shard_spaces");
        yield return Step.Get("/cluster_admins");
        yield return Step.Get("/interfaces");
    }

    /// <summary>Six series of a two-decimal random walk, 200 points each, 10 s apart, continuing from earlier batches.</summary>
    private static string WalkBody(int batch)
    {
        var random = new Random(batch);
        var body = new StringBuilder("[");
        for (var s = 0; s < 6; s++)
        {
            body.Append(s == 0 ? "" : ",").Append("{\"name\":\"cpu.host").Append(s).Append("\",\"columns\":[\"time\",\"value\"],\"points\":[");
            var value = 50.0 + s;
            for (var p = 0; p < 200; p++)
            {
                value = Math.Round(value + (random.NextDouble() - 0.5), 2);
                var time = 1_400_000_000L + ((batch * 200L) + p) * 10;
                body.Append(p == 0 ? "" : ",").Append('[').Append(time).Append(',').Append(value.ToString("0.00", CultureInfo.InvariantCulture)).Append(']');
            }

            body.Append("]}");
        }

        return body.Append(']').ToString();
    }

    /// <summary>Repeats a step until its body contains <see cref="Step.Until"/>, for at most 15 seconds.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> AwaitAsync(ChildServer server, Step step, HttpStatusCode status, string body)
    {
        var deadline = Stopwatch.StartNew();
        while (!body.Contains(step.Until!, StringComparison.Ordinal) && deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(100);
            (status, body) = await SendAsync(server, step);
        }

        return (status, body);
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(ChildServer server, Step step)
    {
        var path = step.Auth ? TestServer.Auth(step.Path) : step.Path;
        using var request = new HttpRequestMessage(step.Method, path);
        if (step.Body is not null)
        {
            request.Content = new StringContent(step.Body, Encoding.UTF8, "application/json");
        }

        using var response = await server.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public sealed record Step(HttpMethod Method, string Path, string? Body, HttpStatusCode Status, bool Auth)
    {
        /// <summary>When set, the step is repeated until its body contains this text (work the server does later).</summary>
        public string? Until { get; init; }

        public static Step Get(string path, HttpStatusCode status = HttpStatusCode.OK, bool auth = true) => new(HttpMethod.Get, path, null, status, auth);

        public static Step Post(string path, string body, HttpStatusCode status = HttpStatusCode.OK) => new(HttpMethod.Post, path, body, status, true);

        public static Step Query(string query, HttpStatusCode status = HttpStatusCode.OK) =>
            Get("/db/native/series?q=" + Uri.EscapeDataString(query), status);

        public override string ToString() => $"{Method} {Path}";
    }

    /// <summary>
    /// Publishes the server natively once for the class: from a copy of the sources (so the publish's restore and
    /// intermediate files never touch the build the other tests run), into a temporary directory.
    /// </summary>
    public sealed class NativeBuild : IAsyncLifetime
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "strata-tests", "native-" + Guid.NewGuid().ToString("N"));

        public string Executable => Path.Combine(_root, "out", "Strata.Server");

        public async ValueTask InitializeAsync()
        {
            var repository = ChildServer.RepositoryRoot().FullName;
            foreach (var file in (string[])["Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig"])
            {
                Directory.CreateDirectory(_root);
                File.Copy(Path.Combine(repository, file), Path.Combine(_root, file));
            }

            CopySources(Path.Combine(repository, "src"), Path.Combine(_root, "src"));
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = _root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in (string[])["publish", "src/Strata.Server", "-c", "Release", "-o", "out", "-nologo"])
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet publish");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0 || !File.Exists(Executable))
            {
                throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):\n{await output}\n{await errors}");
            }
        }

        public ValueTask DisposeAsync()
        {
            TestServer.DeleteDataDir(_root);
            return ValueTask.CompletedTask;
        }

        private static void CopySources(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var file in Directory.EnumerateFiles(from))
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }

            foreach (var directory in Directory.EnumerateDirectories(from))
            {
                var name = Path.GetFileName(directory);
                if (name is not ("bin" or "obj"))
                {
                    CopySources(directory, Path.Combine(to, name));
                }
            }
        }
    }
}
