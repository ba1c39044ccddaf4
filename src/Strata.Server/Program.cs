using Microsoft.Extensions.Logging;
using Strata.Server;
using Strata.Server.Config;
using Strata.Server.Logging;

StrataOptions options;
try
{
    options = OptionsLoader.Load(args);
}
catch (ConfigException e)
{
    Console.Error.WriteLine(e.Message);
    return e.ExitCode;
}

if (options.PrintVersion)
{
    Console.WriteLine(Strata.Server.Http.Router.VersionHeader);
    return 0;
}

if (options.PrintHelp)
{
    Console.WriteLine(OptionsLoader.Usage);
    return 0;
}

if (options.RestoreFrom is { } backup)
{
    try
    {
        Strata.Storage.StorageEngine.Restore(backup, Path.GetFullPath(options.DataDir), Console.WriteLine);
        return 0;
    }
    catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or Strata.Core.StrataException)
    {
        Console.Error.WriteLine($"Strata cannot restore {backup}: {e.Message}");
        return 1;
    }
}

if (options.ApiPort == 0 && !(options.SslPort > 0 && options.SslCert.Length > 0))
{
    // 0.8.8 returns from its serve loop and exits 0 when no API listener is configured.
    Console.Error.WriteLine("No API port configured ([api] port or ssl-port with ssl-cert); nothing to serve.");
    return 0;
}

if (options.PidFile is { Length: > 0 } pidFile)
{
    File.WriteAllText(pidFile, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

StrataHost host;
try
{
    host = await StrataHost.StartAsync(options, logging => StrataLogging.Configure(logging, options));
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"Strata cannot start: {e.Message}");
    return 1;
}

Console.WriteLine($"Strata API listening on {host.ApiAddress} (data in {Path.GetFullPath(options.DataDir)})");
await host.WaitForShutdownAsync();
await host.DisposeAsync();
return 0;
