using Engine.Core.Specs;
using Engine.Simulation.Lanes;
using Engine.Simulation.Step;
using Engine.Tests.Support;
using Engine.Theory;

namespace Engine.Tests.Theory;

/// <summary>
/// One model arithmetic: the population theory's tilt, projection and expected reward are the
/// simulation's (ModelStep), to the bit. The theory evaluates them on its Real numbers, the
/// simulation on its lanes (ScalarLane here; every SIMD width and the GPU kernels run the same
/// methods); a private copy in either, changed alone, fails here.
/// </summary>
public class ModelArithmeticTests
{
    private static readonly double[] Mean = [0.37, -1.21];
    private static readonly double[] Cov = [1.3, 0.41, 0.41, 0.77];

    public static TheoryData<string, string> Models => new()
    {
        { "quadratic, full", "covariance = \"full\"\nreward = \"quadratic\"\nreward_center = [0.5, -0.25]\nbeta = 0.8" },
        { "linear, diag, ridge", "covariance = \"diag\"\nridge = 0.03\nreward = \"linear\"\nreward_direction = [1.0, -0.5]\nbeta = 0.6" },
        { "quadratic, iso, ridge", "covariance = \"iso\"\nridge = 0.01\nreward = \"quadratic\"\nreward_center = [0.0, 1.0]\nbeta = 1.7" },
        { "linear, fixed", "covariance = \"fixed\"\nreward = \"linear\"\nreward_direction = [0.2, 0.9]\nbeta = 0.3" },
    };

    private static SimulationSpec Spec(string model) => SpecText.Load($"""
        dimension = 2
        rounds = 3
        burn_in = 1
        replicates = 2
        seed = 1

        [[model]]
        name = "solo"
        n = 10
        real_mean = [0.0, 0.0]
        real_cov = [[1.0, 0.2], [0.2, 2.0]]
        k = "inf"
        weights = {"{"} real = 0.0, curated = 0.0, self = 1.0 {"}"}
        {model}
        """);

    private static ScalarLane[] Lanes(double[] values) => values.Select(v => new ScalarLane(v)).ToArray();

    [Theory]
    [MemberData(nameof(Models))]
    public void KInfinityTiltIsTheSimulations(string name, string model)
    {
        var spec = Spec(model).Models[0];
        var (mean, cov) = CuratedMoments.Of(spec, Mean.Select(v => new Real(v)).ToArray(), Cov.Select(v => new Real(v)).ToArray());
        var table = new ModelTable(Spec(model));
        var tiltMean = new ScalarLane[2];
        var tiltCov = new ScalarLane[4];
        ModelStep.TiltedMoments<ScalarLane, LaneSpan<ScalarLane>, ConstantSpan>(in table.Models[0], new ConstantSpan(table.Constants), 2, Lanes(Mean), Lanes(Cov), tiltMean, tiltCov,
            new ScalarLane[4], new ScalarLane[6], new ScalarLane[4]);
        Assert.Equal(tiltMean.Select(v => v.Value), mean.Select(v => v.Value));
        Assert.True(tiltCov.Select(v => v.Value).SequenceEqual(cov.Select(v => v.Value)), name);
    }

    /// <summary>With all weight on its own outputs, the population map returns the model's covariance through the projection and ridge: the refit's.</summary>
    [Theory]
    [MemberData(nameof(Models))]
    public void ProjectionAndRidgeAreTheRefits(string name, string model)
    {
        var spec = Spec(model);
        var map = new PopulationMap(spec);
        var state = new double[map.StateSize];
        map.Pack<double>(Mean, Cov, state);
        var next = new double[state.Length];
        FixedPointSolver.Apply(map, state, next);
        var mean = new double[2];
        var cov = new double[4];
        map.Unpack<double>(next, mean, cov);
        var table = new ModelTable(spec);
        var projected = Lanes(Cov);
        ModelStep.ProjectCovariance<ScalarLane, LaneSpan<ScalarLane>, ConstantSpan>(in table.Models[0], new ConstantSpan(table.Constants), 2, projected);
        Assert.True(projected.Select(v => v.Value).SequenceEqual(cov), name);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void ExpectedRewardIsTheSimulations(string name, string model)
    {
        var spec = Spec(model);
        var map = new PopulationMap(spec);
        var state = new Real[map.StateSize];
        map.Pack<Real>(Mean.Select(v => new Real(v)).ToArray(), Cov.Select(v => new Real(v)).ToArray(), state);
        double theory = map.Reward<Real>(0, state, 0).Value;
        var table = new ModelTable(spec);
        double simulation = ModelStep.ExpectedReward<ScalarLane, LaneSpan<ScalarLane>, ConstantSpan>(in table.Models[0], new ConstantSpan(table.Constants), 2, Lanes(Mean), Lanes(Cov)).Value;
        Assert.True(BitConverter.DoubleToInt64Bits(theory) == BitConverter.DoubleToInt64Bits(simulation), $"{name}: {theory:R} against {simulation:R}");
    }
}
