using System.Diagnostics;
using System.Runtime.Intrinsics;
using Engine.Simulation.Lanes;

namespace Engine.Benchmarks;

internal static class DirectLog
{
    public static Vector256<double> Log(Vector256<double> x)
    {
        var bits = x.AsUInt64();
        var mantissa = ((bits & Vector256.Create(0x000F_FFFF_FFFF_FFFFUL)) | Vector256.Create(0x3FF0_0000_0000_0000UL)).AsDouble();
        var exponent = (Vector256.ShiftRightLogical(bits, 52) | Vector256.Create(0x4330_0000_0000_0000UL)).AsDouble() - Vector256.Create(4503599627370496.0 + 1023.0);
        var large = Vector256.GreaterThan(mantissa, Vector256.Create(1.4142135623730951));
        mantissa = Vector256.ConditionalSelect(large, mantissa * 0.5, mantissa);
        exponent = Vector256.ConditionalSelect(large, exponent + Vector256<double>.One, exponent);
        var f = (mantissa - Vector256<double>.One) / (mantissa + Vector256<double>.One);
        var s = f * f;
        var p = Vector256.Create(1.0 / 23);
        p = p * s + Vector256.Create(1.0 / 21);
        p = p * s + Vector256.Create(1.0 / 19);
        p = p * s + Vector256.Create(1.0 / 17);
        p = p * s + Vector256.Create(1.0 / 15);
        p = p * s + Vector256.Create(1.0 / 13);
        p = p * s + Vector256.Create(1.0 / 11);
        p = p * s + Vector256.Create(1.0 / 9);
        p = p * s + Vector256.Create(1.0 / 7);
        p = p * s + Vector256.Create(1.0 / 5);
        p = p * s + Vector256.Create(1.0 / 3);
        return exponent * 6.93147180369123816490e-01 + (exponent * 1.90821492927058770002e-10 + (f + f) + (f + f) * s * p);
    }

    public static void Time()
    {
        const int vectors = 1_000_000;
        var x = Vector256.Create(0.37);
        var step = Vector256.Create(1e-9);
        var sum = Vector256<double>.Zero;
        var clock = Stopwatch.StartNew();
        for (int b = 0; b < vectors; b++)
        {
            sum += Log(x);
            x += step;
        }
        Console.WriteLine($"direct Vector256 log: {4.0 * vectors / clock.Elapsed.TotalSeconds / 1e6:F1} M/s ({sum.GetElement(0):F2})");
        var lane = new Vector256Lane(Vector256.Create(0.37));
        var laneStep = new Vector256Lane(step);
        var laneSum = new Vector256Lane(Vector256<double>.Zero);
        clock.Restart();
        for (int b = 0; b < vectors; b++)
        {
            laneSum += LaneMath.Log(lane);
            lane += laneStep;
        }
        Console.WriteLine($"LaneMath<Vector256Lane> log: {4.0 * vectors / clock.Elapsed.TotalSeconds / 1e6:F1} M/s ({laneSum.Value.GetElement(0):F2})");
    }
}
