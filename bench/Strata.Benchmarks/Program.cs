using BenchmarkDotNet.Running;

namespace Strata.Benchmarks;

/// <summary>Runs the benchmarks picked on the command line, e.g. <c>--filter '*Codec*' --job short</c>.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
