using System.Globalization;
using Engine.Core.Specs;
using Engine.Gpu;
using Engine.Simulation;

namespace Engine.Benchmarks;

/// <summary>
/// gpu-agreement [replicates=4096] [device=auto] [precision=double] [spec=bench/canonical.toml]:
/// the GPU kernels against the scalar reference, replicate by replicate, on the canonical spec
/// (or the one named). Prints how many replicates differ beyond 1e-9 relative (a curation choice
/// that flips on a last-bit difference of the device's math library), the largest relative
/// difference among the others, and the quantiles of the relative differences. Used by
/// bench/gpu/check.sh on the lent GPU machine.
/// </summary>
internal static class GpuAgreement
{
    public static void Run(string[] args)
    {
        int replicates = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4096;
        string device = args.Length > 2 ? args[2] : GpuDevices.Auto;
        string precision = args.Length > 3 ? args[3] : "double";
        string path = args.Length > 4 ? args[4] : Program.CanonicalSpecPath();
        var spec = SpecLoader.LoadFile(path);
        var (reference, referenceFinite) = SimulationRunner.PerReplicate(spec, "scalar", replicates);
        var (values, finite) = GpuRunner.PerReplicate(spec, device, replicates, precision);
        int perReplicate = spec.ModelCount * spec.ModelCount, differing = 0, finiteMismatch = 0;
        var relative = new List<double>();
        for (int r = 0; r < replicates; r++)
        {
            if (finite[r] != referenceFinite[r])
            {
                finiteMismatch++;
                continue;
            }
            double worst = 0;
            for (int k = r * perReplicate; k < (r + 1) * perReplicate; k++)
            {
                worst = Math.Max(worst, Math.Abs(values[k] - reference[k]) / Math.Max(1, Math.Abs(reference[k])));
            }
            relative.Add(worst);
            if (worst > 1e-9)
            {
                differing++;
            }
        }
        relative.Sort();
        double Quantile(double q) => relative.Count == 0 ? double.NaN : relative[(int)Math.Min(relative.Count - 1, q * relative.Count)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gpu-agreement {Path.GetFileName(path)} on {device} ({precision}): {replicates} replicates x {spec.Rounds} rounds against the scalar reference: " +
            $"{differing} differ beyond 1e-9 relative ({100.0 * differing / replicates:F3}%), {finiteMismatch} disagree on divergence; " +
            $"relative difference per replicate: median {Quantile(0.5):E2}, 99% {Quantile(0.99):E2}, max {Quantile(1):E2}"));
    }
}
