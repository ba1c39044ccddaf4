using System.Globalization;
using Strata.Load;

// Strata.Load: see Options.Usage and bench/README.md.
Options options;
try
{
    options = Options.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine("run with --help for the flags");
    return 2;
}

if (options.Help)
{
    Console.WriteLine(Options.Usage);
    return 0;
}

if (options.DumpFirstBody)
{
    var first = new BodyBuilder(options).BuildAll()[0];
    using var stdout = Console.OpenStandardOutput();
    stdout.Write(first.Bytes);
    stdout.Write("\n"u8);
    return 0;
}

// --sink: the same workload against a built-in no-op endpoint measures the generator itself.
await using var sink = options.Sink ? new SinkServer() : null;
var url = options.Url;
if (sink is not null)
{
    sink.Start();
    url = sink.Url;
    Console.Error.WriteLine($"sink listening on {url}");
}

if (options.Query is { } query)
{
    return await new QueryRunner(options, url, Console.Out).RunAsync(query);
}

if (options.Get is { } path)
{
    return await new QueryRunner(options, url, Console.Out).RunAsync(path, raw: true);
}

var result = await new WriteRunner(options, url, Console.Out, Console.Error).RunAsync();
if (result is null)
{
    return 1;
}

if (sink is null)
{
    WriteRunner.Print(result, Console.Out, $"write {url} db={options.Database} connections={options.Connections} format={options.Format}");
    return 0;
}

WriteRunner.Print(result, Console.Out, $"sink (no-op endpoint) connections={options.Connections} format={options.Format}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"generator ceiling: {result.PointsPerSecond:N0} points/s ({sink.Requests:N0} requests answered by the sink)"));
return 0;
