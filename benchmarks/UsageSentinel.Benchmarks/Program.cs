using BenchmarkDotNet.Running;
using UsageSentinel.Benchmarks;
using UsageSentinel.Benchmarks.Harness;

if (args.Length > 0 && args[0] == "harness")
{
    return await HarnessRunner.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(DetectionEngineBenchmarks).Assembly).Run(args);
return 0;
