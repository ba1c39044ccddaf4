using BenchmarkDotNet.Running;
using Strata.Benchmarks.Queries;

namespace Strata.Benchmarks;

/// <summary>
/// Runs the benchmarks picked on the command line, e.g. <c>--filter '*Codec*' --job short</c>. For a profiler,
/// <c>--loop-query "select …" SECONDS</c> runs one <see cref="QueryBenchmarks"/> case in a loop in this process
/// (no BenchmarkDotNet child) and prints the mean time per run.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["--loop-query", var query, var seconds])
        {
            LoopQuery(query, double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture));
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }

    private static void LoopQuery(string query, double seconds)
    {
        var benchmark = new QueryBenchmarks { Query = query };
        benchmark.Setup();
        try
        {
            var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var runs = 0;
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                benchmark.Run().GetAwaiter().GetResult();
                runs++;
            }

            cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine($"{runs} runs, {clock.Elapsed.TotalMilliseconds / runs:F3} ms each, {cpu.TotalMilliseconds / runs:F3} ms of CPU");
        }
        finally
        {
            benchmark.Cleanup();
        }
    }
}
