using System.Diagnostics;
using Engine.Simulation;
using Engine.Simulation.Lanes;

namespace Engine.Benchmarks;

/// <summary>Quick Stopwatch timings of the building blocks, for iterating on the hot loop (BenchmarkDotNet gives the reported numbers).</summary>
internal static class Diagnose
{
    public static void Run()
    {
        Time<ScalarLane>();
        Time<Vector128Lane>();
        Time<Vector256Lane>();
    }

    private static void Time<T>() where T : struct, ILane<T>
    {
        const int blocks = 4_000_000;
        int vectors = blocks / T.Width;
        var sum = T.Broadcast(0);
        var clock = Stopwatch.StartNew();
        for (int b = 0; b < vectors; b++)
        {
            var (u0, u1) = T.Uniforms(1, 0, (uint)(b * T.Width), 3, 5, (uint)b);
            sum += u0 + u1;
        }
        double uniforms = 2.0 * blocks / clock.Elapsed.TotalSeconds;
        var x = T.Broadcast(0.37);
        var step = T.Broadcast(1e-9);
        clock.Restart();
        for (int b = 0; b < vectors; b++)
        {
            sum += T.Log(x);
            x += step;
        }
        double logs = blocks / clock.Elapsed.TotalSeconds;
        clock.Restart();
        for (int b = 0; b < vectors; b++)
        {
            var (s, c) = T.SinCosTwoPi(x);
            sum += s + c;
            x += step;
        }
        double sincos = blocks / clock.Elapsed.TotalSeconds;
        clock.Restart();
        for (int b = 0; b < vectors; b++)
        {
            sum += T.Exp(T.Broadcast(-3) * x);
            x += step;
        }
        double exps = blocks / clock.Elapsed.TotalSeconds;
        clock.Restart();
        for (int b = 0; b < vectors; b++)
        {
            var (u0, u1) = T.Uniforms(1, 0, (uint)(b * T.Width), 3, 5, (uint)b);
            var (z0, z1) = Lane.BoxMuller(u0, u1);
            sum += z0 + z1;
        }
        double normals = 2.0 * blocks / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"{T.Name,-10} uniforms {uniforms / 1e6,7:F1}  log {logs / 1e6,7:F1}  sincos {sincos / 1e6,7:F1}  exp {exps / 1e6,7:F1}  normals {normals / 1e6,7:F1} M/s (checksum {T.Element(sum, 0):F3})");
    }
}
