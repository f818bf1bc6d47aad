using Engine.Core.Specs;

namespace Engine.Simulation.Step;

/// <summary>
/// One model of the spec flattened for the step: scalars here, vectors and matrices as offsets
/// into the run's constant table (<see cref="ModelTable.Constants"/>). Unmanaged, so the GPU
/// kernels take the same parameters from device memory as the CPU takes from an array.
/// </summary>
public struct ModelParameters
{
    /// <summary>Training samples per refit.</summary>
    public int N;
    /// <summary>Candidates per curated sample; 0 for K = infinity.</summary>
    public int K;
    /// <summary>1 for the linear reward, 0 for the quadratic one.</summary>
    public int LinearReward;
    /// <summary>The reward's sharpness.</summary>
    public double Beta;
    /// <summary>The <see cref="CovarianceStructure"/> as its integer value.</summary>
    public int Covariance;
    /// <summary>ridge x I added after each refit.</summary>
    public double Ridge;
    /// <summary>The source that takes a u that rounding leaves at or above the cumulative total.</summary>
    public int LastPositiveSource;
    /// <summary>Sources of the mixture: 3 + M.</summary>
    public int Sources;
    // Offsets into the constant table.
    /// <summary>Offset of the reward's centre (quadratic) or direction (linear).</summary>
    public int RewardVector;
    /// <summary>Offset of the initial mean.</summary>
    public int InitMean;
    /// <summary>Offset of the initial covariance.</summary>
    public int InitCov;
    /// <summary>Offset of the real data's mean.</summary>
    public int RealMean;
    /// <summary>Offset of the real data's Cholesky factor.</summary>
    public int RealFactor;
    /// <summary>Offset of the mixture weights.</summary>
    public int Weights;
    /// <summary>Offset of their cumulative sums.</summary>
    public int Cumulative;
    /// <summary>The source of each slot under the fixed mixture (n values); -1 for multinomial.</summary>
    public int FixedSources;
    /// <summary>The samples of each source under the fixed mixture (sources values); -1 for multinomial.</summary>
    public int SourceCounts;
    /// <summary>The boundary whose count the moments sampler draws from <see cref="CountTable"/>; -1 for none.</summary>
    public int CountTableBoundary;
    /// <summary>Offset of that count's inversion table (<see cref="StatisticStep.InversionTable"/>); -1 for none.</summary>
    public int CountTable;

    /// <summary>Whether curation is the exact tilt.</summary>
    public readonly bool IsInfiniteK => K == ModelSpec.InfiniteK;
    /// <summary>Curated draws that choose among candidates (K = 1 keeps its only candidate).</summary>
    public readonly bool IsFiniteChoice => K > 1;
}

/// <summary>The models of one spec (one influence arm), flattened once per run.</summary>
public sealed class ModelTable
{
    /// <summary>The spec's models, flattened.</summary>
    public ModelTable(SimulationSpec spec)
    {
        int d = spec.Dimension;
        var constants = new List<double>();
        Models = new ModelParameters[spec.ModelCount];
        for (int i = 0; i < spec.ModelCount; i++)
        {
            Models[i] = Flatten(spec.Models[i], d, spec.Mixture, constants);
        }
        Constants = constants.ToArray();
    }

    /// <summary>One model alone (its reward, refit and curation), for callers outside a run.</summary>
    public static (ModelParameters Model, double[] Constants) Of(ModelSpec model, int dimension, MixtureMode mixture = MixtureMode.Multinomial)
    {
        var constants = new List<double>();
        var parameters = Flatten(model, dimension, mixture, constants);
        return (parameters, constants.ToArray());
    }

    /// <summary>One model's reward alone (its kind, beta and vector): what <see cref="ModelStep.Reward"/>, <see cref="ModelStep.ExpectedReward"/> and <see cref="ModelStep.TiltedMoments"/> read.</summary>
    public static (ModelParameters Model, double[] Constants) RewardOf(ModelSpec model) =>
        (new ModelParameters { K = model.K, N = model.N, LinearReward = model.Reward == RewardKind.Linear ? 1 : 0, Beta = model.Beta, RewardVector = 0, FixedSources = -1, SourceCounts = -1, CountTableBoundary = -1, CountTable = -1 },
            (double[])model.RewardVector.Clone());

    private static ModelParameters Flatten(ModelSpec model, int d, MixtureMode mixture, List<double> constants)
    {
        int Append(IEnumerable<double> values)
        {
            int offset = constants.Count;
            constants.AddRange(values);
            return offset;
        }
        var factor = DoubleStep.CholeskyLower(model.RealCov, d);
        var cumulative = new double[model.Weights.Length];
        double sum = 0;
        int last = 0;
        for (int s = 0; s < model.Weights.Length; s++)
        {
            sum += model.Weights[s];
            cumulative[s] = sum;
            if (model.Weights[s] > 0)
            {
                last = s;
            }
        }
        // The first count the moments sampler draws has n trials in every lane: its cumulative
        // probabilities once per run (up to the inversion's n, under the multinomial mixture).
        var (tableBoundary, share) = mixture == MixtureMode.Multinomial && model.N <= StatisticStep.InversionTrials
            ? StatisticStep.FirstDrawnBoundary(cumulative) : (-1, 0);
        return new ModelParameters
        {
            N = model.N,
            K = model.K,
            LinearReward = model.Reward == RewardKind.Linear ? 1 : 0,
            Beta = model.Beta,
            Covariance = (int)model.Covariance,
            Ridge = model.Ridge,
            LastPositiveSource = last,
            Sources = model.Weights.Length,
            RewardVector = Append(model.RewardVector),
            InitMean = Append(model.InitMean),
            InitCov = Append(model.InitCov),
            RealMean = Append(model.RealMean),
            RealFactor = Append(factor),
            Weights = Append(model.Weights),
            Cumulative = Append(cumulative),
            FixedSources = mixture == MixtureMode.Fixed
                ? Append(MixtureRounding.SlotSources(model.Weights, model.N).Select(source => (double)source))
                : -1,
            SourceCounts = mixture == MixtureMode.Fixed ? Append(MixtureRounding.Counts(model.Weights, model.N).Select(count => (double)count)) : -1,
            CountTableBoundary = tableBoundary,
            CountTable = tableBoundary >= 0 ? Append(StatisticStep.InversionTable(model.N, share)) : -1,
        };
    }

    /// <summary>The models, in index order.</summary>
    public ModelParameters[] Models { get; }
    /// <summary>Their vectors and matrices, at the offsets the models name.</summary>
    public double[] Constants { get; }
}
