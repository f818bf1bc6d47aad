using Engine.Simulation.Lanes;

namespace Engine.Benchmarks;

/// <summary>Runs a generic benchmark body at the lane width named by a string (the switch is outside the measured loop).</summary>
internal static class Widths
{
    public static readonly string[] All = ["scalar", "128", "256", "256x2", "512", "single"];

    public interface IBody
    {
        double Run<T>() where T : struct, ILane<T>;
    }

    public static double Run<TBody>(string width, TBody body) where TBody : IBody => width switch
    {
        "128" => body.Run<Vector128Lane>(),
        "256" => body.Run<Vector256Lane>(),
        "256x2" => body.Run<Vector256x2Lane>(),
        "512" => body.Run<Vector512Lane>(),
        "single" => body.Run<Vector256SingleLane>(),
        _ => body.Run<ScalarLane>(),
    };

    public static int LaneWidth(string width) => width switch
    {
        "128" => Vector128Lane.Width,
        "256" => Vector256Lane.Width,
        "256x2" => Vector256x2Lane.Width,
        "512" => Vector512Lane.Width,
        "single" => Vector256SingleLane.Width,
        _ => ScalarLane.Width,
    };
}
