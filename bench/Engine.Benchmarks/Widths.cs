using Engine.Simulation;

namespace Engine.Benchmarks;

/// <summary>The widths the benchmarks run at, dispatched by <see cref="LaneDispatch"/> (outside the measured loop).</summary>
internal static class Widths
{
    public static readonly string[] All = ["scalar", "128", "256", "256x2", "512", "512x2", LaneDispatch.Single];

    public static double Run<TBody>(string width, TBody body) where TBody : ILaneAction<double> =>
        LaneDispatch.Run<TBody, double>(width, body);
}
