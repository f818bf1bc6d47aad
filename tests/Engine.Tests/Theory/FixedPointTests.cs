using System.Globalization;
using Engine.Core.Specs;
using Engine.Simulation;
using Engine.Tests.Support;
using Engine.Theory;

namespace Engine.Tests.Theory;

public class FixedPointTests
{
    private static string MeanOnlyPair(string schedule) => $$"""
        dimension = 2
        rounds = 10
        burn_in = 0
        replicates = 2
        seed = 1
        schedule = "{{schedule}}"

        [[model]]
        name = "theta"
        n = 10
        covariance = "fixed"
        real_mean = [1.0, 0.0]
        real_cov = [[1.0, 0.3], [0.3, 2.0]]
        reward = "linear"
        reward_direction = [1.0, -0.5]
        beta = 0.7
        k = "inf"
        weights = { real = 0.3, curated = 0.3, self = 0.1, cross = { phi = 0.3 } }

        [[model]]
        name = "phi"
        n = 7
        covariance = "fixed"
        real_mean = [-2.0, 1.0]
        real_cov = [[0.5, 0.0], [0.0, 0.5]]
        reward = "linear"
        reward_direction = [0.6, 0.8]
        beta = 0.5
        k = "inf"
        weights = { real = 0.5, curated = 0.2, cross = { theta = 0.3 } }
        """;

    /// <summary>
    /// Mean-only models with linear rewards and K = inf: mu_i = w_r m_i + (w_c + w_s) mu_i
    /// + w_c beta Sigma_i a_i + sum_j w_ij mu_j, a linear system (I - W) mu = b. Moving w_c of model k
    /// (real absorbs) changes W_kk by +1 and b_k by -m_k + beta Sigma_k a_k, so
    /// (I - W) dmu = e_k (mu_k - m_k + beta Sigma_k a_k); isolated: dmu_k = (same) / (1 - W_kk).
    /// </summary>
    [Theory]
    [InlineData("simultaneous")]
    [InlineData("sequential")]
    public void MeanOnlyLinearSystemFixedPointAndInfluence(string schedule)
    {
        var spec = SpecText.Load(MeanOnlyPair(schedule));
        var theory = TheoryAnalysis.Run(spec);
        Assert.True(theory.Converged);
        Assert.True(theory.Stable);
        int m = 2, d = 2;
        var w = new double[m * m];
        var b = new double[m * d];
        var drift = new double[m][];
        for (int i = 0; i < m; i++)
        {
            var model = spec.Models[i];
            drift[i] = new double[d];
            for (int r = 0; r < d; r++)
            {
                for (int c = 0; c < d; c++)
                {
                    drift[i][r] += model.Beta * model.RealCov[r * d + c] * model.RewardVector[c];
                }
                b[i * d + r] = model.Weights[WeightIndex.Real] * model.RealMean[r] + model.Weights[WeightIndex.Curated] * drift[i][r];
            }
            for (int j = 0; j < m; j++)
            {
                w[i * m + j] = i == j ? model.Weights[WeightIndex.Curated] + model.Weights[WeightIndex.Self] : model.Weights[WeightIndex.Cross(j)];
            }
        }
        var mu = SolveIMinus(w, b, m, d);
        for (int i = 0; i < m; i++)
        {
            Assert.Equal(mu.AsSpan(i * d, d).ToArray(), theory.Models[i].Mean, new Simulation.ToleranceComparer(1e-10));
        }
        for (int k = 0; k < m; k++)
        {
            var forcing = new double[m * d];
            for (int r = 0; r < d; r++)
            {
                forcing[k * d + r] = mu[k * d + r] - spec.Models[k].RealMean[r] + drift[k][r];
            }
            var dmu = SolveIMinus(w, forcing, m, d);
            for (int j = 0; j < m; j++)
            {
                var model = spec.Models[j];
                double expected = model.Beta * (model.RewardVector[0] * dmu[j * d] + model.RewardVector[1] * dmu[j * d + 1]);
                Assert.Equal(expected, theory.InfluenceOf(k, j), 1e-10);
            }
            double isolated = spec.Models[k].Beta * (spec.Models[k].RewardVector[0] * forcing[k * d] + spec.Models[k].RewardVector[1] * forcing[k * d + 1]) / (1 - w[k * m + k]);
            Assert.Equal(isolated, theory.Influence.Single(e => e.Curated == k && e.On == k).Isolated!.Value, 1e-10);
        }
    }

    private static double[] SolveIMinus(double[] w, double[] rhs, int m, int d)
    {
        var a = new Real[m * m];
        for (int r = 0; r < m; r++)
        {
            for (int c = 0; c < m; c++)
            {
                a[r * m + c] = new Real((r == c ? 1 : 0) - w[r * m + c]);
            }
        }
        var x = rhs.Select(v => new Real(v)).ToArray();
        GenericLinearAlgebra.Solve(a, x, m, d);
        return x.Select(v => v.Value).ToArray();
    }

    private const string SoloQuadratic = """
        dimension = 2
        rounds = 10
        burn_in = 0
        replicates = 2
        seed = 1

        [[model]]
        name = "solo"
        n = 10
        covariance = "full"
        real_mean = [1.0, -2.0]
        real_cov = [[2.0, 0.8], [0.8, 1.0]]
        reward = "quadratic"
        reward_center = [1.0, -2.0]
        beta = 0.6
        k = "inf"
        weights = { real = 0.3, curated = 0.5, self = 0.2 }
        """;

    /// <summary>
    /// One model, quadratic reward centred on its real mean, K = inf: the tilt keeps the mean at m,
    /// and along each eigenvector of S (eigenvalue l) the variance solves
    /// (a + c) beta v^2 + a (1 - l beta) v - a l = 0 (a = w_real, c = w_cur). Moving c with a
    /// absorbing gives dv/dc = -(l - (1 - l beta) v) / (2 (a + c) beta v + a (1 - l beta)).
    /// </summary>
    [Fact]
    public void SingleQuadraticModelHasItsClosedFormFixedPoint()
    {
        var spec = SpecText.Load(SoloQuadratic);
        var theory = TheoryAnalysis.Run(spec);
        Assert.True(theory.Converged);
        double a = 0.3, c = 0.5, beta = 0.6;
        // Eigenvalues of [[2, 0.8], [0.8, 1]].
        double half = 1.5, root = Math.Sqrt(0.25 + 0.64);
        double[] lambdas = [half + root, half - root];
        double traceV = 0, dTrace = 0;
        foreach (double l in lambdas)
        {
            double v = (-a * (1 - l * beta) + Math.Sqrt(a * a * (1 - l * beta) * (1 - l * beta) + 4 * (a + c) * beta * a * l)) / (2 * (a + c) * beta);
            traceV += v;
            dTrace += -(l - (1 - l * beta) * v) / (2 * (a + c) * beta * v + a * (1 - l * beta));
        }
        Assert.Equal([1.0, -2.0], theory.Models[0].Mean, new Simulation.ToleranceComparer(1e-11));
        Assert.Equal(-beta / 2 * traceV, theory.Models[0].Alignment, 1e-11);
        Assert.Equal(-beta / 2 * dTrace, theory.InfluenceOf(0, 0), 1e-10);
        Assert.Equal(-beta / 2 * dTrace, theory.Influence[0].Isolated!.Value, 1e-10);
    }

    public static TheoryData<string, double> CoupledCases => new()
    {
        { Fig3Cell(0.6), 0.02 },
        { Fig3Cell(0.15), 0.02 },
        { SequentialFiniteK(), 0.02 },
    };

    private static string Fig3Cell(double t) =>
        Engine.Sweeps.Fig3.BaseText
            .Replace("cross = { phi = 0.5 }", FormattableString.Invariant($"cross = {{ phi = {0.5 * t} }}"))
            .Replace("real = 0.1,", FormattableString.Invariant($"real = {0.6 - 0.5 * t},"))
            .Replace("cross = { theta = 0.5 }", FormattableString.Invariant($"cross = {{ theta = {0.5 * t} }}"))
            .Replace("real = 0.2,", FormattableString.Invariant($"real = {0.7 - 0.5 * t},"));

    private static string SequentialFiniteK() => SpecText.Pair
        .Replace("seed = 3", "seed = 3\nschedule = \"sequential\"")
        .Replace("reward = \"quadratic\"\nreward_center = [0.0, 0.0]\nbeta = 0.25\nk = \"inf\"", "reward = \"linear\"\nreward_direction = [1.0, 0.5]\nbeta = 0.8\nk = 4")
        .Replace("covariance = \"full\"\nreal_mean = [-3.0, 0.0]", "covariance = \"diag\"\nreal_mean = [-3.0, 0.0]");

    /// <summary>
    /// The implicit-function influence against central differences of the fixed point itself.
    /// Step h = 1e-4: the truncation error is about h^2 |J'''| / 6 ~ 1e-9 and the rounding error
    /// about (fixed-point tolerance 1e-12) / h = 1e-8, both far below the 1e-6 asked for.
    /// </summary>
    [Theory]
    [MemberData(nameof(CoupledCases))]
    public void ImplicitFunctionInfluenceMatchesFiniteDifferencesOfTheFixedPoint(string text, double unused)
    {
        _ = unused;
        var spec = SpecText.Load(text) with { Influence = null };
        var theory = TheoryAnalysis.Run(spec);
        Assert.True(theory.Converged, theory.FixedPoint.Message);
        const double h = 1e-4;
        for (int curated = 0; curated < spec.ModelCount; curated++)
        {
            var plus = AlignmentsAt(spec, curated, +h);
            var minus = AlignmentsAt(spec, curated, -h);
            for (int on = 0; on < spec.ModelCount; on++)
            {
                double difference = (plus[on] - minus[on]) / (2 * h);
                double implicitValue = theory.InfluenceOf(curated, on);
                Assert.True(Math.Abs(implicitValue - difference) <= 1e-6 * Math.Max(Math.Abs(difference), 1e-3),
                    $"curating {curated}, on {on}: implicit {implicitValue:R}, finite difference {difference:R}");
            }
        }
    }

    private static double[] AlignmentsAt(SimulationSpec spec, int curated, double delta)
    {
        var models = (ModelSpec[])spec.Models.Clone();
        models[curated] = models[curated].WithWeightShift(WeightIndex.Curated, WeightIndex.Real, delta);
        var theory = TheoryAnalysis.Run(spec with { Models = models });
        Assert.True(theory.Converged);
        return theory.Models.Select(model => model.Alignment).ToArray();
    }

    /// <summary>
    /// One dimension, linear reward, K = inf, real weight a and curated weight c = 1 - a: at a fixed
    /// point mu = c beta v / a and (beta^2 c / a) v^2 - a v + a = 0, so two fixed points exist while
    /// a^2 > 4 beta^2 c (the smaller stable, the larger unstable) and none beyond.
    /// </summary>
    private static string Runaway(double beta) => $$"""
        dimension = 1
        rounds = 10
        burn_in = 0
        replicates = 2
        seed = 1

        [[model]]
        name = "solo"
        n = 10
        covariance = "full"
        real_mean = [0.0]
        real_cov = [[1.0]]
        reward = "linear"
        reward_direction = [1.0]
        beta = {{beta.ToString(CultureInfo.InvariantCulture)}}
        k = "inf"
        weights = { real = 0.5, curated = 0.5 }
        """;

    [Fact]
    public void SpectralRadiusPredictsWhatIterationDoes()
    {
        const double a = 0.5, c = 0.5, beta = 0.3;
        var map = new PopulationMap(SpecText.Load(Runaway(beta)));
        double discriminant = Math.Sqrt(a * a - 4 * beta * beta * c);
        double scale = a / (2 * beta * beta * c / a);
        double stableV = (a - discriminant) * scale / a, unstableV = (a + discriminant) * scale / a;

        var stable = FixedPointSolver.Solve(map);
        Assert.True(stable.Converged);
        Assert.Equal(stableV, stable.State[1], 1e-10);
        Assert.Equal(c * beta * stableV / a, stable.State[0], 1e-10);
        var (stableRadius, _) = FixedPointSolver.Stability(map, stable.State);
        Assert.True(stableRadius < 1);

        var unstable = FixedPointSolver.Solve(map, [c * beta * unstableV / a * 1.01, unstableV * 1.01]);
        Assert.True(unstable.Converged);
        Assert.Equal(unstableV, unstable.State[1], 1e-9);
        var (unstableRadius, _) = FixedPointSolver.Stability(map, unstable.State);
        Assert.True(unstableRadius > 1);

        // Iterating the loop: near the stable point the distance shrinks, near the unstable one it grows.
        Assert.True(DistanceAfterIterating(map, stable.State, 1e-3, 50) < 1e-6);
        Assert.True(DistanceAfterIterating(map, unstable.State, 1e-3, 50) > 1e-1);
    }

    private static double DistanceAfterIterating(PopulationMap map, double[] fixedPoint, double perturbation, int rounds)
    {
        var state = fixedPoint.Select(v => v + perturbation).ToArray();
        var next = new double[state.Length];
        for (int r = 0; r < rounds; r++)
        {
            FixedPointSolver.Apply(map, state, next);
            (state, next) = (next, state);
            if (!state.All(double.IsFinite))
            {
                return double.PositiveInfinity;
            }
        }
        return state.Select((v, k) => Math.Abs(v - fixedPoint[k])).Max();
    }

    [Fact]
    public void RunawayLoopIsReportedWithoutNumbers()
    {
        var theory = TheoryAnalysis.Run(SpecText.Load(Runaway(0.4)));
        Assert.False(theory.Converged);
        Assert.Contains("no fixed point", theory.FixedPoint.Message, StringComparison.Ordinal);
        string json = TheoryWriter.ToJson(theory);
        Assert.Contains("\"converged\": false", json, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", json, StringComparison.Ordinal);
    }

    /// <summary>
    /// Theory against simulation: at large n the simulated stationary alignment is A* + c/n + O(1/n^2),
    /// so the Richardson combination 2 A(2n) - A(n) of two independent runs estimates A* with the
    /// O(1/n) refit bias removed; it must agree with the theory within 5 of its standard errors.
    /// </summary>
    [Fact]
    public void SimulationAtLargeNMatchesTheTheory()
    {
        var spec = SpecText.Load(Fig3Cell(0.6)) with { Influence = null, Rounds = 30, BurnIn = 10, Replicates = 64 };
        var theory = TheoryAnalysis.Run(spec);
        var large = SimulationRunner.Run(WithN(spec, 4096) with { Seed = 11 }, new RunOptions());
        var small = SimulationRunner.Run(WithN(spec, 2048) with { Seed = 12 }, new RunOptions());
        for (int i = 0; i < spec.ModelCount; i++)
        {
            double extrapolated = 2 * large.Alignment[i].Mean - small.Alignment[i].Mean;
            double se = Math.Sqrt(4 * Math.Pow(large.Alignment[i].StandardError, 2) + Math.Pow(small.Alignment[i].StandardError, 2));
            double expected = theory.Models[i].Alignment;
            Assert.True(Math.Abs(extrapolated - expected) <= 5 * se,
                $"{spec.Models[i].Name}: extrapolated {extrapolated:R} (se {se:R}), theory {expected:R}");
        }
    }

    private static SimulationSpec WithN(SimulationSpec spec, int n) =>
        spec with { Models = spec.Models.Select(model => model with { N = n }).ToArray() };
}
