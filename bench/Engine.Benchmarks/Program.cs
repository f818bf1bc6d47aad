using Engine.Benchmarks;

if (args.Length > 0 && args[0] == "diagnose")
{
    DirectLog.Time();
    Diagnose.Run();
    return;
}
BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Diagnose).Assembly).Run(args);
