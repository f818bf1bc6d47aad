using Engine.Core.Results;
using Engine.Core.Specs;
using Engine.Gpu;
using Engine.Simulation;
using Engine.Tests.Simulation;
using Engine.Tests.Support;

namespace Engine.Tests.Gpu;

/// <summary>
/// The GPU kernels on ILGPU's CPU accelerator (no GPU in CI) against the scalar reference. The
/// kernels compute a replicate with the reference's model arithmetic (ModelStep), its random
/// stream and, on the CPU accelerator, its math library, so per replicate they agree to 1e-9
/// relative (on a real GPU libdevice may flip a rare curation choice: counted, at most 0.1%),
/// and the device reductions sum in the CPU runner's order, so whole summaries agree.
/// </summary>
public class GpuBackendTests
{
    private static readonly RunOptions CpuAccelerator = new() { Backend = Backends.Gpu, Device = GpuDevices.CpuAccelerator };

    [Theory]
    [MemberData(nameof(BackendAgreementTests.Specs), MemberType = typeof(BackendAgreementTests))]
    public void KernelsAgreeWithTheReferencePerReplicate(string name, string text)
    {
        var spec = SpecText.Load(text);
        const int count = 37;
        var (reference, referenceFinite) = SimulationRunner.PerReplicate(spec, "scalar", count);
        var (values, finite) = GpuRunner.PerReplicate(spec, GpuDevices.CpuAccelerator, count);
        Assert.Equal(referenceFinite, finite);
        int differing = BackendAgreementTests.ReplicatesDiffering(reference, values, spec.ModelCount * spec.ModelCount);
        Assert.True(differing <= count / 1000, $"{name}: {differing} of {count} replicates differ beyond 1e-9");
    }

    [Fact]
    public void CanonicalBenchmarkAgreesWithTheReferenceAtScale()
    {
        const int count = 512;
        var (spec, reference) = BackendAgreementTests.CanonicalReference(30, 10, count);
        var (values, _) = GpuRunner.PerReplicate(spec, GpuDevices.CpuAccelerator, count);
        int differing = BackendAgreementTests.ReplicatesDiffering(reference, values, spec.ModelCount * spec.ModelCount);
        Assert.True(differing <= count / 1000, $"{differing} of {count} replicates differ beyond 1e-9");
    }

    /// <summary>
    /// The register bound (G groups of 128 threads per multiprocessor) is taken where a model draws
    /// finite-K candidates, the measured faster there, and the compiler's choice elsewhere; the
    /// environment variable overrides it, and a bad value is a user error naming it.
    /// </summary>
    [Theory]
    [InlineData("k = \"inf\"", null, 0)]
    [InlineData("k = 4", null, GpuRunner.CandidateGroupsPerMultiprocessor)]
    [InlineData("k = 1", null, 0)]
    [InlineData("k = 4", "0", 0)]
    [InlineData("k = \"inf\"", "3", 3)]
    public void RegisterBoundFollowsTheCandidates(string k, string? setting, int expected)
    {
        var spec = SpecText.Load(SpecText.Pair.Replace("k = \"inf\"", k));
        Assert.Equal(expected, GpuRunner.GroupsPerMultiprocessor(spec, setting));
    }

    [Theory]
    [InlineData("x")]
    [InlineData("-1")]
    [InlineData("17")]
    public void BadRegisterBoundIsAUserError(string setting)
    {
        var error = Assert.Throws<SpecException>(() => GpuRunner.GroupsPerMultiprocessor(SpecText.Load(SpecText.Pair), setting));
        Assert.StartsWith($"{GpuRunner.GroupsPerMultiprocessorVariable} = \"{setting}\":", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("1", true)]
    [InlineData("0", false)]
    public void CountTablesFollowTheirSetting(string? setting, bool expected) => Assert.Equal(expected, GpuRunner.UsesCountTables(setting));

    [Theory]
    [InlineData("yes")]
    [InlineData("2")]
    public void BadCountTableSettingIsAUserError(string setting)
    {
        var error = Assert.Throws<SpecException>(() => GpuRunner.UsesCountTables(setting));
        Assert.StartsWith($"{GpuRunner.CountTablesVariable} = \"{setting}\":", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The device reductions (Welford per block of 256, Chan across blocks in block order) give the reference's summary, with the influence arms (K = 4: the explicitly grouped kernel, with a partial last group).</summary>
    [Fact]
    public void SummaryWithInfluenceEqualsTheReference()
    {
        var spec = SpecText.Load(SpecText.Pair.Replace("k = \"inf\"", "k = 4")) with { Replicates = 600, Rounds = 16, BurnIn = 6 };
        var reference = SimulationRunner.Run(spec, new RunOptions { Backend = Backends.Reference });
        var gpu = GpuRunner.Run(spec, CpuAccelerator);
        Assert.Equal("gpu", gpu.Backend);
        Assert.Equal("ilgpu-cpu-accelerator", gpu.Device);
        Assert.Equal(SummaryWriter.ToJson(reference with { Backend = "gpu" }), SummaryWriter.ToJson(gpu with { Device = null }));
        Assert.Equal(TrajectoryWriter.ToCsv(reference), TrajectoryWriter.ToCsv(gpu));
    }

    /// <summary>Work split into launches of whole blocks (streaming through the device) gives the same bytes as one launch.</summary>
    [Fact]
    public void ResultDoesNotDependOnTheLaunchSize()
    {
        var spec = SpecText.Load(SpecText.Pair.Replace("k = \"inf\"", "k = 3")) with { Replicates = 700, Rounds = 10, BurnIn = 4 };
        string whole = SummaryWriter.ToJson(GpuRunner.Run(spec, CpuAccelerator));
        string split = SummaryWriter.ToJson(GpuRunner.Run(spec, CpuAccelerator, maxReplicatesPerLaunch: 256));
        Assert.Equal(whole, split);
    }

    /// <summary>A loop whose variance runs away (linear reward, K = inf) diverges on the device as on the CPU: counted, excluded, no NaN in the summary.</summary>
    [Fact]
    public void DivergenceIsDetectedAsOnTheCpu()
    {
        var spec = SpecText.Load(DivergingSpec);
        var reference = SimulationRunner.Run(spec, new RunOptions { Backend = Backends.Reference });
        var gpu = GpuRunner.Run(spec, CpuAccelerator);
        Assert.True(reference.Diverged > 0);
        Assert.Equal(reference.Diverged, gpu.Diverged);
        string json = SummaryWriter.ToJson(gpu);
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
        Assert.Equal(SummaryWriter.ToJson(reference with { Backend = "gpu" }), SummaryWriter.ToJson(gpu with { Device = null }));
    }

    /// <summary>Single-precision threads draw the float lanes' stream (24-bit uniforms) in float arithmetic: they track double as the CPU's float lanes do.</summary>
    [Fact]
    public void SinglePrecisionTracksDoublePerReplicate()
    {
        var spec = SpecText.Load(SpecText.Pair.Replace("k = \"inf\"", "k = 4")) with { Rounds = 60, BurnIn = 20 };
        const int count = 256;
        var (reference, _) = SimulationRunner.PerReplicate(spec, "scalar", count);
        var (single, _) = GpuRunner.PerReplicate(spec, GpuDevices.CpuAccelerator, count, "single");
        var relative = reference.Select((v, k) => Math.Abs(single[k] - v) / Math.Max(1e-12, Math.Abs(v))).Order().ToArray();
        Assert.True(relative[relative.Length / 2] < 1e-5, $"median relative difference {relative[relative.Length / 2]}");
        Assert.True(relative.Count(x => x > 1e-4) <= relative.Length / 50, $"{relative.Count(x => x > 1e-4)} of {relative.Length} values beyond 1e-4");
    }

    internal const string DivergingSpec = """
        dimension = 1
        rounds = 40
        burn_in = 10
        replicates = 300
        seed = 3

        [[model]]
        name = "runaway"
        n = 3
        covariance = "full"
        real_mean = [0.0]
        real_cov = [[1.0]]
        reward = "linear"
        reward_direction = [1.0]
        beta = 3.0
        k = "inf"
        weights = { real = 0.05, curated = 0.95 }
        """;
}
