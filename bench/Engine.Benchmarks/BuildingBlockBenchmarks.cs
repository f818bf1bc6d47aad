using BenchmarkDotNet.Attributes;
using Engine.Core.Random;
using Engine.Core.Specs;
using Engine.Simulation;
using Engine.Simulation.Lanes;
using Engine.Simulation.Step;

namespace Engine.Benchmarks;

/// <summary>
/// The loop's building blocks per lane width, each over 4,096 replicate-operations per
/// invocation (OperationsPerInvoke), so the reported time is per replicate: per Philox block,
/// per pair of normals (the ziggurat, and Box-Muller beside it), per curated sample (K = 4, d = 2).
/// </summary>
public class BuildingBlockBenchmarks : PerWidthBenchmarks
{
    [Benchmark(OperationsPerInvoke = Operations)]
    public double PhiloxBlock() => Widths.Run(Width, new PhiloxBody());

    /// <summary>A pair of normals by the ziggurat (the engine's generator).</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public double NormalPair() => Widths.Run(Width, new NormalBody());

    /// <summary>A pair of normals by Box-Muller on the same block (the generator the ziggurat replaced), for the side-by-side figure.</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public double BoxMullerPair() => Widths.Run(Width, new BoxMullerBody());

    [Benchmark(OperationsPerInvoke = Operations)]
    public double CuratedSample() => Widths.Run(Width, new CurationBody());

    private readonly struct PhiloxBody : ILaneAction<double>
    {
        public double Run<T>() where T : struct, ILane<T>
        {
            var sum = T.Broadcast(0);
            for (int b = 0; b < Operations / T.Width; b++)
            {
                var (u0, u1) = T.Uniforms(Key, (uint)(b * T.Width), 3, 5, 1);
                sum += u0 + u1;
            }
            return T.Element(sum, 0);
        }
    }

    private readonly struct NormalBody : ILaneAction<double>
    {
        public double Run<T>() where T : struct, ILane<T>
        {
            var sum = T.Broadcast(0);
            for (int b = 0; b < Operations / T.Width; b++)
            {
                var (z0, z1) = T.Normals(Key, (uint)(b * T.Width), 3, 5, 1);
                sum += z0 + z1;
            }
            return T.Element(sum, 0);
        }
    }

    private readonly struct BoxMullerBody : ILaneAction<double>
    {
        public double Run<T>() where T : struct, ILane<T>
        {
            var sum = T.Broadcast(0);
            for (int b = 0; b < Operations / T.Width; b++)
            {
                var (u0, u1) = T.Uniforms(Key, (uint)(b * T.Width), 3, 5, 1);
                var (z0, z1) = Lane.BoxMuller(u0, u1);
                sum += z0 + z1;
            }
            return T.Element(sum, 0);
        }
    }

    /// <summary>One curated sample: 4 candidates from N(mu, L L^T) with their 8 normals, quadratic rewards, the softmax choice.</summary>
    private readonly struct CurationBody : ILaneAction<double>
    {
        private static readonly (ModelParameters Model, double[] Constants) Table = ModelTable.Of(SpecLoader.LoadFile(Program.CanonicalSpecPath()).Models[0], 2);

        public double Run<T>() where T : struct, ILane<T>
        {
            Span<T> normals = new T[8];
            Span<T> candidates = new T[8];
            Span<T> rewards = new T[4];
            Span<T> picks = new T[4];
            var l00 = T.Broadcast(1.1);
            var l10 = T.Broadcast(0.2);
            var l11 = T.Broadcast(0.9);
            var mean0 = T.Broadcast(-0.4);
            var mean1 = T.Broadcast(0.1);
            var sum = T.Broadcast(0);
            for (int b = 0; b < Operations / T.Width; b++)
            {
                var (uChoice, _) = T.Uniforms(Key, (uint)(b * T.Width), 3, 5, 0);
                for (int p = 0; p < 4; p++)
                {
                    (normals[2 * p], normals[2 * p + 1]) = T.Normals(Key, (uint)(b * T.Width), 3, 5, (uint)(p + 1));
                }
                for (int c = 0; c < 4; c++)
                {
                    candidates[2 * c] = mean0 + l00 * normals[2 * c];
                    candidates[2 * c + 1] = mean1 + l10 * normals[2 * c] + l11 * normals[2 * c + 1];
                    rewards[c] = ModelStep.Reward<T, LaneSpan<T>, ConstantSpan>(in Table.Model, new ConstantSpan(Table.Constants), 2, candidates.Slice(2 * c, 2));
                }
                ModelStep.ChoiceMasks<T, LaneSpan<T>>(4, rewards, uChoice, picks);
                var chosen = candidates[0];
                for (int c = 1; c < 4; c++)
                {
                    chosen = T.Select(picks[c], candidates[2 * c], chosen);
                }
                sum += chosen;
            }
            return T.Element(sum, 0);
        }
    }
}
