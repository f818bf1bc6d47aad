using System.Diagnostics;
using Engine.Core.Specs;
using Engine.Theory;
namespace Engine.Benchmarks;
internal static class Probe
{
    public static void Run()
    {
        var spec = SpecLoader.LoadFile(Program.CanonicalSpecPath());
        var model = spec.Models[0];
        double[] mean = [0.1, 0.0], cov = [0.9, 0.05, 0.05, 0.8];
        for (int w = 0; w < 3; w++) { QuadratureCuration.Evaluate(model, mean, cov, false); QuadratureCuration.Evaluate(model, mean, cov, true); }
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 50; i++) QuadratureCuration.Evaluate(model, mean, cov, false);
        Console.WriteLine($"value {sw.Elapsed.TotalMilliseconds / 50:F3} ms");
        sw.Restart();
        for (int i = 0; i < 50; i++) QuadratureCuration.Evaluate(model, mean, cov, true);
        Console.WriteLine($"partials {sw.Elapsed.TotalMilliseconds / 50:F3} ms");
        var map = new PopulationMap(spec);
        sw.Restart();
        var fp = FixedPointSolver.Solve(map);
        Console.WriteLine($"solve {sw.Elapsed.TotalMilliseconds:F1} ms iterations {fp.Iterations}");
        sw.Restart();
        for (int i = 0; i < 20; i++) FixedPointSolver.Jacobian(map, fp.State);
        Console.WriteLine($"jacobian (cached) {sw.Elapsed.TotalMilliseconds / 20:F3} ms");
        var next = new double[fp.State.Length];
        sw.Restart();
        for (int i = 0; i < 20; i++) FixedPointSolver.Apply(map, fp.State, next);
        Console.WriteLine($"apply (cached) {sw.Elapsed.TotalMilliseconds / 20:F3} ms");
        sw.Restart();
        for (int i = 0; i < 20; i++) FixedPointSolver.Stability(map, fp.State);
        Console.WriteLine($"stability (cached) {sw.Elapsed.TotalMilliseconds / 20:F3} ms");
        sw.Restart();
        var r = TheoryAnalysis.Run(spec);
        Console.WriteLine($"analysis {sw.Elapsed.TotalMilliseconds:F1} ms");
    }
}
internal static class ExpProbe
{
    public static void Run()
    {
        var data = new double[1024];
        for (int i = 0; i < data.Length; i++) data[i] = -i * 0.01;
        var acc = System.Runtime.Intrinsics.Vector256<double>.Zero;
        var sw = Stopwatch.StartNew();
        for (int rep = 0; rep < 10000; rep++)
            for (int p = 0; p < data.Length; p += 4)
                acc += System.Runtime.Intrinsics.Vector256.Exp(System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref data[p]));
        Console.WriteLine($"vector exp {sw.Elapsed.TotalMilliseconds * 1e6 / (10000.0 * 1024):F2} ns per value {acc[0]}");
        var acc2 = Engine.Simulation.Lanes.Vector256Lane.Broadcast(0);
        sw.Restart();
        for (int rep = 0; rep < 10000; rep++)
            for (int p = 0; p < data.Length; p += 4)
                acc2 += Engine.Simulation.Lanes.Vector256Lane.Exp(new Engine.Simulation.Lanes.Vector256Lane(System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref data[p])));
        Console.WriteLine($"lane exp {sw.Elapsed.TotalMilliseconds * 1e6 / (10000.0 * 1024):F2} ns per value {acc2.Value[0]}");
        double s = 0; sw.Restart();
        for (int rep = 0; rep < 10000; rep++)
            for (int p = 0; p < data.Length; p++) s += Math.Exp(data[p]);
        Console.WriteLine($"scalar exp {sw.Elapsed.TotalMilliseconds * 1e6 / (10000.0 * 1024):F2} ns per value {s}");
    }
}
