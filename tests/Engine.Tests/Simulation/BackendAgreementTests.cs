using Engine.Core.Results;
using Engine.Core.Specs;
using Engine.Simulation;
using Engine.Tests.Support;

namespace Engine.Tests.Simulation;

/// <summary>
/// The cpu backend at every SIMD width against the scalar reference, replicate by replicate. The
/// random streams are identical (the uniforms bit for bit); only the vectorised log, sin, cos
/// and exp may differ from Math's in the last bit, so per-replicate results agree to 1e-9
/// relative, except where a curation choice flips on such a last-bit difference (counted, and
/// required to stay below 0.1% of replicates).
/// </summary>
public class BackendAgreementTests
{
    private const string Header = """
        dimension = 2
        rounds = 12
        burn_in = 4
        replicates = 2
        seed = 8
        """;

    /// <summary>Every option under the moments sampler (the default), and a few under the per-sample one.</summary>
    public static TheoryData<string, string> Specs
    {
        get
        {
            var specs = new TheoryData<string, string>();
            foreach (var (name, text) in MomentsSpecs)
            {
                specs.Add(name, text);
            }
            foreach (var (name, text) in MomentsSpecs)
            {
                if (name.StartsWith("quadratic, K = inf", StringComparison.Ordinal) || name.StartsWith("linear, K = 4, diag", StringComparison.Ordinal)
                    || name.StartsWith("quadratic, K = 1000", StringComparison.Ordinal) || name.StartsWith("K = 1, n <= d", StringComparison.Ordinal))
                {
                    specs.Add(name + " (sampler = samples)", text.Replace("burn_in = ", "sampler = \"samples\"\nburn_in = ", StringComparison.Ordinal));
                }
            }
            return specs;
        }
    }

    private static readonly (string Name, string Text)[] MomentsSpecs =
    [
        ("quadratic, K = inf, full, simultaneous, multinomial", Header + "\n" + SpecText.Theta + "\n" + SpecText.Phi),
        ("linear, K = 4, diag, sequential, fixed", (Header + "\nschedule = \"sequential\"\nmixture = \"fixed\"\n" + SpecText.Theta + "\n" + SpecText.Phi)
            .Replace("reward = \"quadratic\"\nreward_center = [0.0, 0.0]\nbeta = 0.25\nk = \"inf\"", "reward = \"linear\"\nreward_direction = [1.0, -0.5]\nbeta = 0.9\nk = 4")
            .Replace("covariance = \"full\"", "covariance = \"diag\"")),
        ("quadratic, K = 3, iso, ridge, self data", (Header + "\n" + SpecText.Theta + "\n" + SpecText.Phi)
            .Replace("k = \"inf\"", "k = 3")
            .Replace("covariance = \"full\"", "covariance = \"iso\"\nridge = 0.01")
            .Replace("weights = { real = 0.4, curated = 0.3, cross = { phi = 0.3 } }", "weights = { real = 0.3, curated = 0.3, self = 0.1, cross = { phi = 0.3 } }")),
        ("linear, K = inf, fixed covariance", (Header + "\n" + SpecText.Theta + "\n" + SpecText.Phi)
            .Replace("reward = \"quadratic\"\nreward_center = [0.0, 0.0]", "reward = \"linear\"\nreward_direction = [0.5, 0.5]")
            .Replace("covariance = \"full\"\nreal_mean = [0.0, 0.0]", "covariance = \"fixed\"\nreal_mean = [0.0, 0.0]")),
        ("K = 1, n <= d (singular refits), d = 3", """
            dimension = 3
            rounds = 10
            burn_in = 2
            replicates = 2
            seed = 4

            """ + SpecText.SingularSolo),
        ("linear, K = 4, d = 1", """
            dimension = 1
            rounds = 12
            burn_in = 4
            replicates = 2
            seed = 6

            [[model]]
            name = "line"
            n = 9
            covariance = "full"
            real_mean = [0.5]
            real_cov = [[2.0]]
            reward = "linear"
            reward_direction = [1.0]
            beta = 0.7
            k = 4
            weights = { real = 0.5, curated = 0.3, self = 0.2 }
            """),
        ("quadratic, K = 3, d = 4, diag", """
            dimension = 4
            rounds = 10
            burn_in = 2
            replicates = 2
            seed = 5

            [[model]]
            name = "wide"
            n = 70
            covariance = "diag"
            real_mean = [1.0, 0.0, -1.0, 2.0]
            real_cov = [[1.0, 0.2, 0.0, 0.0], [0.2, 1.0, 0.1, 0.0], [0.0, 0.1, 2.0, 0.3], [0.0, 0.0, 0.3, 0.5]]
            reward = "quadratic"
            reward_center = [0.0, 0.0, 0.0, 1.0]
            beta = 0.4
            k = 3
            weights = { real = 0.4, curated = 0.4, self = 0.2 }
            """),
        // Past the smallest count the SIMD lanes pack their curated draws, whose d x d products need
        // more room than K d candidates when d > K.
        ("quadratic, K = 2, d = 4, full (packed products larger than the candidates)", """
            dimension = 4
            rounds = 10
            burn_in = 2
            replicates = 2
            seed = 7

            [[model]]
            name = "wide"
            n = 70
            covariance = "full"
            real_mean = [1.0, 0.0, -1.0, 2.0]
            real_cov = [[1.0, 0.2, 0.0, 0.0], [0.2, 1.0, 0.1, 0.0], [0.0, 0.1, 2.0, 0.3], [0.0, 0.0, 0.3, 0.5]]
            reward = "quadratic"
            reward_center = [0.0, 0.0, 0.0, 1.0]
            beta = 0.4
            k = 2
            weights = { real = 0.4, curated = 0.4, self = 0.2 }
            """),
        ("quadratic, K = 1000, fixed mixture (normals drawn for a few slots at a time)", (Header + "\nmixture = \"fixed\"\n" + SpecText.Theta + "\n" + SpecText.Phi)
            .Replace("k = \"inf\"", "k = 1000")),
        ("quadratic, K = inf, n = 48 (the moments sampler's statistics)", (Header + "\n" + SpecText.Theta + "\n" + SpecText.Phi).Replace("n = 16", "n = 48")),
        ("linear, K = 3, n = 40, diag, a source expecting 2 samples", (Header + "\n" + SpecText.Theta + "\n" + SpecText.Phi).Replace("n = 16", "n = 40")
            .Replace("reward = \"quadratic\"\nreward_center = [0.0, 0.0]\nbeta = 0.25\nk = \"inf\"", "reward = \"linear\"\nreward_direction = [1.0, -0.5]\nbeta = 0.9\nk = 3")
            .Replace("covariance = \"full\"", "covariance = \"diag\"")
            .Replace("weights = { real = 0.4, curated = 0.3, cross = { phi = 0.3 } }", "weights = { real = 0.35, curated = 0.3, self = 0.05, cross = { phi = 0.3 } }")),
        ("quadratic, K = 2, three models", (Header + "\n" + SpecText.Theta + "\n" + SpecText.Phi + "\n" + SpecText.Phi.Replace("name = \"phi\"", "name = \"psi\"").Replace("cross = { theta = 0.3 }", "cross = { theta = 0.1, phi = 0.2 }"))
            .Replace("k = \"inf\"", "k = 2")),
    ];

    [Theory]
    [MemberData(nameof(Specs))]
    public void EveryWidthAgreesWithTheReferencePerReplicate(string name, string text)
    {
        var spec = SpecText.Load(text);
        const long count = 37; // not a multiple of any width: the last group is partial
        var (reference, referenceFinite) = SimulationRunner.PerReplicate(spec, "scalar", count);
        int perReplicate = spec.ModelCount * spec.ModelCount;
        foreach (var width in new[] { "128", "256", "256x2", "512", "512x2" })
        {
            var (values, finite) = SimulationRunner.PerReplicate(spec, width, count);
            Assert.Equal(referenceFinite, finite);
            int flipped = ReplicatesDiffering(reference, values, perReplicate);
            Assert.True(flipped <= count / 1000, $"{name}, width {width}: {flipped} of {count} replicates differ beyond 1e-9");
        }
    }

    /// <summary>
    /// Models that learn from many others draw a slot from the sources its lanes chose (past 2 x
    /// width + 4 positive sources) instead of from every source: at 8 models the scalar reference
    /// and the 128-bit lanes take that path and the wider ones do not, at 20 models all but the
    /// 16-lane widths take it. Either way every replicate agrees as at any width.
    /// </summary>
    [Theory]
    [InlineData(8, Sampler.Moments)]
    [InlineData(8, Sampler.Samples)]
    [InlineData(20, Sampler.Samples)]
    public void ManySourcesAgreeAcrossWidthsPerReplicate(int models, Sampler sampler)
    {
        var spec = Engine.Sweeps.AllToAll.Spec(models, "3", 2, 6, 2) with { Sampler = sampler };
        const long count = 37;
        var (reference, referenceFinite) = SimulationRunner.PerReplicate(spec, "scalar", count);
        foreach (var width in new[] { "128", "256", "256x2", "512x2" })
        {
            var (values, finite) = SimulationRunner.PerReplicate(spec, width, count);
            Assert.Equal(referenceFinite, finite);
            int differing = ReplicatesDiffering(reference, values, spec.ModelCount * spec.ModelCount);
            Assert.True(differing <= count / 1000, $"{models} models, width {width}: {differing} of {count} replicates differ beyond 1e-9");
        }
    }

    /// <summary>
    /// The canonical benchmark (bench/canonical.toml: K = 4, so about 45 curated choices per
    /// replicate and round) over 1,024 replicates and 40 rounds, about 1.8 million choices: a
    /// choice that flips on a last-bit difference of exp would show here, and at most 0.1% of
    /// the replicates may differ beyond 1e-9.
    /// </summary>
    [Fact]
    public void CanonicalBenchmarkAgreesWithTheReferenceAtScale()
    {
        const int count = 1024;
        var (spec, reference) = CanonicalReference(40, 20, count);
        foreach (var width in new[] { "128", "256x2" })
        {
            var (values, _) = SimulationRunner.PerReplicate(spec, width, count);
            int differing = ReplicatesDiffering(reference, values, spec.ModelCount * spec.ModelCount);
            Assert.True(differing <= count / 1000, $"width {width}: {differing} of {count} replicates differ beyond 1e-9");
        }
    }

    /// <summary>bench/canonical.toml at the given rounds, and the scalar reference's stationary values of its first replicates.</summary>
    internal static (SimulationSpec Spec, double[] Reference) CanonicalReference(int rounds, int burnIn, int count)
    {
        string path = Path.Combine(Cli.ReadmeTests.RepositoryRoot(), "bench", "canonical.toml");
        var spec = SpecLoader.LoadFile(path) with { Rounds = rounds, BurnIn = burnIn };
        return (spec, SimulationRunner.PerReplicate(spec, "scalar", count).Stationary);
    }

    /// <summary>Replicates (runs of <paramref name="perReplicate"/> values) with a value beyond 1e-9 relative of the reference's.</summary>
    internal static int ReplicatesDiffering(double[] reference, double[] values, int perReplicate)
    {
        int differing = 0;
        for (int first = 0; first < reference.Length; first += perReplicate)
        {
            for (int k = first; k < first + perReplicate; k++)
            {
                if (Math.Abs(values[k] - reference[k]) > 1e-9 * Math.Max(1, Math.Abs(reference[k])))
                {
                    differing++;
                    break;
                }
            }
        }
        return differing;
    }

    [Fact]
    public void CpuAndReferenceSummariesAgreeStatistically()
    {
        var spec = SpecText.Load(SpecText.Pair.Replace("k = \"inf\"", "k = 4")) with { Replicates = 300 };
        var reference = SimulationRunner.Run(spec, new RunOptions { Backend = Backends.Reference });
        var cpu = SimulationRunner.Run(spec, new RunOptions { Backend = Backends.Cpu });
        for (int i = 0; i < spec.ModelCount; i++)
        {
            Assert.Equal(reference.Alignment[i].Mean, cpu.Alignment[i].Mean, 1e-9);
            Assert.Equal(reference.Influence![i].Mean, cpu.Influence![i].Mean, 1e-7);
        }
    }

    [Fact]
    public void EveryWidthIsIdenticalForEveryThreadCount()
    {
        var spec = SpecText.Load(SpecText.Pair.Replace("k = \"inf\"", "k = 4")) with { Replicates = 600 };
        foreach (var width in new[] { "128", "256", "256x2", "512", "512x2" })
        {
            string one = SummaryWriter.ToJson(SimulationRunner.Run(spec, new RunOptions { Threads = 1, Simd = width }));
            string two = SummaryWriter.ToJson(SimulationRunner.Run(spec, new RunOptions { Threads = 2, Simd = width }));
            Assert.Equal(one, two);
        }
    }

    /// <summary>
    /// Single precision: float arithmetic and 24-bit uniforms from the same Philox words. Measured
    /// on the canonical spec (bench/RESULTS.md): median per-replicate relative difference 3e-7,
    /// 99% within 7e-6, about 0.5% beyond 1e-4 where a curation choice flips at float resolution.
    /// </summary>
    [Fact]
    public void SinglePrecisionTracksDoublePerReplicate()
    {
        var spec = SpecText.Load(SpecText.Pair.Replace("k = \"inf\"", "k = 4")) with { Rounds = 60, BurnIn = 20 };
        const long count = 256;
        var (reference, _) = SimulationRunner.PerReplicate(spec, "scalar", count);
        var (single, _) = SimulationRunner.PerReplicate(spec, "single", count);
        var relative = reference.Select((v, k) => Math.Abs(single[k] - v) / Math.Max(1e-12, Math.Abs(v))).Order().ToArray();
        Assert.True(relative[relative.Length / 2] < 1e-5, $"median relative difference {relative[relative.Length / 2]}");
        Assert.True(relative.Count(x => x > 1e-4) <= relative.Length / 50, $"{relative.Count(x => x > 1e-4)} of {relative.Length} values beyond 1e-4");
    }

    /// <summary>
    /// The two-register float lane (16 replicates, the default of --precision single) computes each
    /// half as the one-register lane does, so every replicate's results are the same to the bit.
    /// </summary>
    [Theory]
    [MemberData(nameof(Specs))]
    public void SinglePrecisionInTwoRegistersIsTheOneRegisterLaneBitForBit(string name, string text)
    {
        var spec = SpecText.Load(text);
        const long count = 37;
        var (one, oneFinite) = SimulationRunner.PerReplicate(spec, LaneDispatch.Single256, count);
        var (two, twoFinite) = SimulationRunner.PerReplicate(spec, LaneDispatch.Single, count);
        Assert.Equal(oneFinite, twoFinite);
        for (int k = 0; k < one.Length; k++)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(one[k]) == BitConverter.DoubleToInt64Bits(two[k]), $"{name}: value {k}: {one[k]:R} against {two[k]:R}");
        }
    }

    /// <summary>
    /// Float lanes count by inversion only up to n = 120, where (1/2)^n is still a normal float; the
    /// tree takes larger n (at n = 500 an inversion started from an underflowed probability gave
    /// every replicate the wrong counts). Either way the single-precision estimates agree with
    /// double within 5 standard errors of their difference.
    /// </summary>
    [Theory]
    [InlineData(100)]
    [InlineData(500)]
    [InlineData(1500)]
    public void SinglePrecisionCountsAgreeWithDoubleAtEveryN(int n)
    {
        var spec = SpecText.Load(string.Join("\n", SpecText.Header, SpecText.Theta, SpecText.Phi).Replace("n = 16", $"n = {n}")) with { Replicates = 256 };
        Assert.Equal(n, spec.Models[0].N);
        var single = SimulationRunner.Run(spec, new RunOptions { Precision = "single" });
        var full = SimulationRunner.Run(spec, new RunOptions());
        for (int i = 0; i < spec.ModelCount; i++)
        {
            double se = Math.Sqrt(Math.Pow(single.Alignment[i].StandardError, 2) + Math.Pow(full.Alignment[i].StandardError, 2));
            Assert.True(Math.Abs(single.Alignment[i].Mean - full.Alignment[i].Mean) <= 5 * se,
                $"n = {n}, model {i}: single {single.Alignment[i].Mean} against double {full.Alignment[i].Mean} (se of the difference {se})");
        }
    }

    [Fact]
    public void SinglePrecisionEstimatesAgreeWithDoubleStatistically()
    {
        var spec = SpecText.Load(SpecText.Pair.Replace("k = \"inf\"", "k = 4")) with { Replicates = 512 };
        var single = SimulationRunner.Run(spec, new RunOptions { Precision = "single" });
        var full = SimulationRunner.Run(spec, new RunOptions());
        Assert.Equal("cpu-single", single.Backend);
        for (int i = 0; i < spec.ModelCount; i++)
        {
            // The same draws to float resolution: the estimates differ far less than their own standard error.
            Assert.True(Math.Abs(single.Alignment[i].Mean - full.Alignment[i].Mean) < 0.1 * full.Alignment[i].StandardError);
        }
    }
}
