using System.Runtime.Intrinsics;
using Engine.Core.Specs;
using Engine.Simulation.Lanes;

namespace Engine.Simulation;

/// <summary>The --backend values.</summary>
public static class Backends
{
    /// <summary>Scalar double, one replicate at a time: the checked reference.</summary>
    public const string Reference = "reference";
    /// <summary>Replicates in SIMD lanes, the widest the processor accelerates.</summary>
    public const string Cpu = "cpu";
    /// <summary>ILGPU kernels on a CUDA device (or ILGPU's CPU accelerator): Engine.Gpu.</summary>
    public const string Gpu = "gpu";
    /// <summary>The GPU when a CUDA device is found, else the SIMD CPU backend.</summary>
    public const string Auto = "auto";
    /// <summary>The backends <see cref="SimulationRunner"/> runs itself.</summary>
    public static readonly string[] Available = [Cpu, Reference];
    /// <summary>Every --backend value.</summary>
    public static readonly string[] All = [Auto, Cpu, Gpu, Reference];

    /// <summary>Refuses, as a --backend error, a name that is none of <see cref="All"/>.</summary>
    public static void CheckName(string backend)
    {
        if (Array.IndexOf(All, backend) < 0)
        {
            throw SpecException.Invalid("--backend", backend, "one of " + string.Join(", ", All));
        }
    }
}

/// <summary>
/// The SIMD width of the cpu backend. Auto takes the widest the processor accelerates, in the
/// order measured on an AVX-512 Xeon and an AVX2 EPYC (bench/RESULTS.md): 512x2 (two 512-bit
/// registers per lane value), 512, 256x2, 256, 128, scalar. The environment variable
/// LOOPSIM_SIMD or the --simd flag forces one.
/// </summary>
public static class SimdWidths
{
    /// <summary>The --precision values: double (every backend) or single (cpu backend, 256-bit float lanes).</summary>
    public static readonly string[] Precisions = ["double", "single"];

    /// <summary>The widest width the processor accelerates.</summary>
    public const string Auto = "auto";
    /// <summary>The variable that forces a width.</summary>
    public const string EnvironmentVariable = "LOOPSIM_SIMD";
    /// <summary>Every --simd value.</summary>
    public static readonly string[] Names = [Auto, "512x2", "512", "256x2", "256", "128", "scalar"];

    /// <summary>The width that runs for a --simd value (auto resolved, LOOPSIM_SIMD applied).</summary>
    public static string Resolve(string requested)
    {
        if (requested == Auto && Forced() is { } forced)
        {
            requested = forced;
        }
        if (Array.IndexOf(Names, requested) < 0)
        {
            throw SpecException.Invalid("--simd", requested, "one of " + string.Join(", ", Names));
        }
        if (requested != Auto)
        {
            return requested;
        }
        if (Vector512.IsHardwareAccelerated)
        {
            return "512x2";
        }
        if (Vector256.IsHardwareAccelerated)
        {
            return "256x2";
        }
        return Vector128.IsHardwareAccelerated ? "128" : "scalar";
    }

    /// <summary>
    /// The float lanes of --precision single: 256x2 (two registers, 16 replicates) or 256 (8).
    /// Auto takes the measured faster, 256x2 (bench/RESULTS.md). A LOOPSIM_SIMD that names a
    /// double width without a float form (512x2, 512, 128, scalar) leaves single at auto, so one
    /// environment serves both precisions; the --simd flag must name a float form.
    /// </summary>
    public static string ResolveSingle(string requested)
    {
        if (requested == Auto && Forced() is { } forced)
        {
            requested = Array.IndexOf(SingleNames, forced) > 0 ? forced : Auto;
        }
        if (Array.IndexOf(SingleNames, requested) < 0)
        {
            throw SpecException.Invalid("--simd", requested, "one of " + string.Join(", ", SingleNames) + " with --precision single");
        }
        return requested == "256" ? LaneDispatch.Single256 : LaneDispatch.Single;
    }

    /// <summary>The --simd values that have a float form.</summary>
    public static readonly string[] SingleNames = [Auto, "256x2", "256"];

    /// <summary>The width LOOPSIM_SIMD forces, or null where it is unset.</summary>
    private static string? Forced()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is not { Length: > 0 } forced)
        {
            return null;
        }
        if (Array.IndexOf(Names, forced) < 1)
        {
            throw SpecException.Invalid(EnvironmentVariable, forced, "one of " + string.Join(", ", Names[1..]));
        }
        return forced;
    }
}

/// <summary>Work that is generic over the lane type, run at a lane named by its width.</summary>
public interface ILaneAction<out TResult>
{
    /// <summary>The work at lane type T.</summary>
    TResult Run<T>() where T : struct, ILane<T>;
}

/// <summary>The one map from a width's name to its lane type.</summary>
public static class LaneDispatch
{
    /// <summary>The names: the SIMD widths, plus single (float lanes).</summary>
    public const string Single = "single";
    /// <summary>Single precision in one 256-bit register (8 lanes), the form <see cref="Single"/> (16 lanes in two) pairs.</summary>
    public const string Single256 = "single256";

    /// <summary>Runs the action at the lane type a width names.</summary>
    public static TResult Run<TAction, TResult>(string width, TAction action) where TAction : ILaneAction<TResult> => width switch
    {
        "512x2" => action.Run<Vector512x2Lane>(),
        "512" => action.Run<Vector512Lane>(),
        "256x2" => action.Run<Vector256x2Lane>(),
        "256" => action.Run<Vector256Lane>(),
        "128" => action.Run<Vector128Lane>(),
        Single => action.Run<Vector256Singlex2Lane>(),
        Single256 => action.Run<Vector256SingleLane>(),
        _ => action.Run<ScalarLane>(),
    };
}
