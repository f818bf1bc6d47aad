using Engine.Simulation;

namespace Engine.Benchmarks;

/// <summary>The widths the benchmarks run at, dispatched by <see cref="LaneDispatch"/> (outside the measured loop).</summary>
internal static class Widths
{
    public static readonly string[] All = ["scalar", "128", "256", "256x2", "512", "512x2", LaneDispatch.Single256, LaneDispatch.Single];

    /// <summary>The double-precision widths (all but the float lanes).</summary>
    public static IEnumerable<string> Double => All.Where(width => !IsSingle(width));

    /// <summary>Whether a width names float lanes (single or single256).</summary>
    public static bool IsSingle(string width) => width.StartsWith(LaneDispatch.Single, StringComparison.Ordinal);

    public static double Run<TBody>(string width, TBody body) where TBody : ILaneAction<double> =>
        LaneDispatch.Run<TBody, double>(width, body);

    /// <summary>Whether the processor runs this width in hardware (Vector512 lanes are emulated, slowly, without AVX-512).</summary>
    public static bool IsAccelerated(string width) => LaneDispatch.Run<Accelerated, bool>(width, default);

    private readonly struct Accelerated : ILaneAction<bool>
    {
        public bool Run<T>() where T : struct, Engine.Simulation.Lanes.ILane<T> => T.IsHardwareAccelerated;
    }
}
