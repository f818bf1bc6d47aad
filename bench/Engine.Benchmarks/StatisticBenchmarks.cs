using BenchmarkDotNet.Attributes;
using Engine.Core.Random;
using Engine.Core.Specs;
using Engine.Simulation;
using Engine.Simulation.Lanes;
using Engine.Simulation.Step;

namespace Engine.Benchmarks;

/// <summary>
/// The moments sampler's building blocks per lane width, per replicate (OperationsPerInvoke): one
/// gamma variate (Marsaglia-Tsang, shape 30), one multinomial boundary count N(C) by the order
/// statistics' tree (n = 64 and 16,384), one model's source counts by sequential binomials (n = 64,
/// three sources), one source's mean and Bartlett scatter (d = 2, c = 25).
/// </summary>
public class StatisticBenchmarks : PerWidthBenchmarks
{
    [Benchmark(OperationsPerInvoke = Operations)]
    public double Gamma() => Widths.Run(Width, new GammaBody());

    [Benchmark(OperationsPerInvoke = Operations)]
    public double CountBelow64() => Widths.Run(Width, new CountBody(64));

    [Benchmark(OperationsPerInvoke = Operations)]
    public double CountBelow16384() => Widths.Run(Width, new CountBody(16_384));

    [Benchmark(OperationsPerInvoke = Operations)]
    public double BartlettSource() => Widths.Run(Width, new BartlettBody());

    /// <summary>All source counts of the canonical theta (n = 64; real 0.3, curated 0.4, cross 0.3): two sequential binomials by inversion.</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public double SourceCounts64() => Widths.Run(Width, new SourceCountsBody());

    private readonly struct GammaBody : ILaneAction<double>
    {
        public double Run<T>() where T : struct, ILane<T>
        {
            var sum = T.Broadcast(0);
            for (int b = 0; b < Operations / T.Width; b++)
            {
                var stream = new LaneUniformStream<T>(in Key, (uint)(b * T.Width));
                sum += StatisticStep.Gamma<T, LaneUniformStream<T>>(stream, 1, 0, T.Broadcast(0), 0, StatisticDraw.ChiSquareAttempts, StatisticDraw.ChiSquareBoost,
                    T.Broadcast(30), T.AllTrue);
            }
            return T.Element(sum, 0);
        }
    }

    private readonly struct CountBody(int n) : ILaneAction<double>
    {
        public double Run<T>() where T : struct, ILane<T>
        {
            var sum = T.Broadcast(0);
            for (int b = 0; b < Operations / T.Width; b++)
            {
                var stream = new LaneUniformStream<T>(in Key, (uint)(b * T.Width));
                sum += StatisticStep.CountBelow<T, LaneUniformStream<T>>(stream, 1, 0, n, 0.4);
            }
            return T.Element(sum, 0);
        }
    }

    private readonly struct SourceCountsBody : ILaneAction<double>
    {
        public double Run<T>() where T : struct, ILane<T>
        {
            var (model, constants) = ModelTable.Of(new ModelSpec
            {
                Name = "theta", N = 64, Covariance = CovarianceStructure.Full, RealMean = [0, 0], RealCov = [1, 0, 0, 1], InitMean = [0, 0], InitCov = [1, 0, 0, 1],
                Reward = RewardKind.Quadratic, RewardVector = [0, 0], Beta = 0.25, K = 4, Ridge = 0, Weights = [0.3, 0.4, 0, 0.3],
            }, 2);
            var counts = new T[model.Sources];
            var sum = T.Broadcast(0);
            for (int b = 0; b < Operations / T.Width; b++)
            {
                var stream = new LaneUniformStream<T>(in Key, (uint)(b * T.Width));
                StatisticStep.SourceCounts<T, LaneSpan<T>, ConstantSpan, LaneUniformStream<T>>(in model, new ConstantSpan(constants), 0, 1, stream, counts);
                sum += counts[0];
            }
            return T.Element(sum, 0);
        }
    }

    private readonly struct BartlettBody : ILaneAction<double>
    {
        public double Run<T>() where T : struct, ILane<T>
        {
            const int d = 2;
            var layout = new StatisticLayout(d, 1, 3);
            var scratch = new T[layout.Size];
            var mean = new T[] { T.Broadcast(0.5), T.Broadcast(-0.5) };
            var factor = new T[] { T.Broadcast(1.0), T.Broadcast(0), T.Broadcast(0.3), T.Broadcast(0.9) };
            var sourceMean = new T[d];
            var sourceScatter = new T[d * d];
            var sum = T.Broadcast(0);
            for (int b = 0; b < Operations / T.Width; b++)
            {
                var stream = new LaneUniformStream<T>(in Key, (uint)(b * T.Width));
                StatisticStep.BartlettStatistics<T, LaneSpan<T>, LaneUniformStream<T>>(d, 0, 1, WeightIndex.Real, stream, true, T.Broadcast(25), mean, factor,
                    layout, scratch, sourceMean, sourceScatter);
                sum += sourceMean[0] + sourceScatter[3];
            }
            return T.Element(sum, 0);
        }
    }
}
