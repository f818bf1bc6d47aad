using Engine.Core.Results;
using Engine.Core.Specs;
using Engine.Simulation;
using Engine.Tests.Support;

namespace Engine.Tests.Simulation;

public class DeterminismTests
{
    [Fact]
    public void SummaryIsIdenticalForEveryThreadCount()
    {
        // 700 replicates: two full blocks and a partial one, so blocks really run on different threads.
        var spec = SpecText.Load(SpecText.Pair) with { Replicates = 700 };
        string one = SummaryWriter.ToJson(SimulationRunner.Run(spec, new RunOptions { Threads = 1 }));
        string two = SummaryWriter.ToJson(SimulationRunner.Run(spec, new RunOptions { Threads = 2 }));
        string three = SummaryWriter.ToJson(SimulationRunner.Run(spec, new RunOptions { Threads = 3 }));
        Assert.Equal(one, two);
        Assert.Equal(one, three);
    }

    [Fact]
    public void ManyBlocksOnManyThreadsMergeInBlockOrder()
    {
        // 21 blocks on 3 workers: more blocks than the window that may finish ahead of the merge
        // (4 per worker), and blocks that finish out of order.
        var spec = SpecText.Load(SpecText.Pair) with { Rounds = 4, BurnIn = 2, Replicates = 20 * SimulationRunner.BlockSize + 17 };
        var reports = new List<long>();
        string one = SummaryWriter.ToJson(SimulationRunner.Run(spec, new RunOptions { Threads = 1 }));
        string three = SummaryWriter.ToJson(SimulationRunner.Run(spec, new RunOptions { Threads = 3 }, new Reports(reports)));
        Assert.Equal(one, three);
        Assert.Equal(spec.Replicates, reports[^1]);
        Assert.True(reports[0] > 0 && reports.Zip(reports.Skip(1)).All(pair => pair.First < pair.Second), $"progress did not advance with every report: {string.Join(", ", reports)}");
    }

    [Fact]
    public void CancellingStopsEveryWorker()
    {
        var spec = SpecText.Load(SpecText.Pair) with { Rounds = 4, BurnIn = 2, Replicates = 20 * SimulationRunner.BlockSize };
        using var cancel = new CancellationTokenSource();
        var reports = new List<long>();
        var progress = new Reports(reports, cancel.Cancel);
        Assert.Throws<OperationCanceledException>(() => SimulationRunner.Run(spec, new RunOptions { Threads = 3 }, progress, cancel.Token));
        Assert.True(reports[^1] < spec.Replicates, "the run went on to the end after it was cancelled");
    }

    [Fact]
    public void AFailureOnAWorkerReachesTheCaller()
    {
        // The progress callback runs on whichever worker merges; its exception must stop the
        // other workers and surface from Run itself, not hang or vanish on a background thread.
        var spec = SpecText.Load(SpecText.Pair) with { Rounds = 4, BurnIn = 2, Replicates = 20 * SimulationRunner.BlockSize };
        var reports = new List<long>();
        var progress = new Reports(reports, () => throw new InvalidOperationException("from a worker"));
        var failure = Assert.Throws<InvalidOperationException>(() => SimulationRunner.Run(spec, new RunOptions { Threads = 3 }, progress));
        Assert.Equal("from a worker", failure.Message);
        Assert.Single(reports);
    }

    [Fact]
    public void TheWarmUpRunsTheMomentsLoopOfBothCuratedPathsAtEveryWidth()
    {
        // The warm-up compiles the loop by running it: were its spec to stop reaching the moments
        // sampler or either curated path, or to fail at some width, it would silently warm nothing.
        var spec = SimulationRunner.WarmUpSpec;
        Assert.Contains(spec.Models, model => model.IsInfiniteK);
        Assert.Contains(spec.Models, model => model.K > 1);
        Assert.All(spec.Models, model => Assert.True(model.N >= Engine.Simulation.Step.StatisticStep.StatisticsFromN));
        Assert.Equal(Sampler.Moments, spec.Sampler);
        foreach (var (width, precision) in SimdWidths.Names.Where(name => name != SimdWidths.Auto).Select(name => (name, "double")).Concat([("256x2", "single"), ("256", "single")]))
        {
            var result = SimulationRunner.WarmUp(new RunOptions { Simd = width, Precision = precision });
            Assert.Equal(0, result.Diverged);
            Assert.All(result.Alignment, estimate => Assert.True(double.IsFinite(estimate.Mean), $"{width} {precision}: alignment {estimate.Mean}"));
        }
    }

    /// <summary>Records progress synchronously (System.Progress would post to the thread pool), optionally acting on the first report.</summary>
    private sealed class Reports(List<long> values, Action? onFirst = null) : IProgress<long>
    {
        public void Report(long value)
        {
            values.Add(value);
            if (values.Count == 1)
            {
                onFirst?.Invoke();
            }
        }
    }

    [Fact]
    public void CliWritesTheSameBytesForOneAndTwoThreads()
    {
        string specPath = Loopsim.WriteSpec(SpecText.Pair, out string folder, "pair.toml");
        var first = Loopsim.Run("run", specPath, "--threads", "1", "--replicates", "300", "--out", Path.Combine(folder, "t1"));
        var second = Loopsim.Run("run", specPath, "--threads", "2", "--replicates", "300", "--out", Path.Combine(folder, "t2"));
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        foreach (var name in new[] { "summary.json", "trajectory.csv" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(folder, "t1", name)), File.ReadAllBytes(Path.Combine(folder, "t2", name)));
        }
    }

    [Fact]
    public void InfluenceArmsShareTheirRandomNumbers()
    {
        // With common random numbers the difference quotient's spread is far below that of
        // independent arms: its SE must be well under the alignment SE scaled by 1/(2 step).
        var spec = SpecText.Load(SpecText.Pair);
        var result = SimulationRunner.Run(spec, new RunOptions());
        double independentArmsSe = Math.Sqrt(2) * result.Alignment[0].StandardError / (2 * spec.Influence!.Step);
        Assert.True(result.Influence![0].StandardError < 0.2 * independentArmsSe,
            $"influence SE {result.Influence[0].StandardError} is not far below independent arms' {independentArmsSe}");
    }

    [Fact]
    public void MomentsArmsStayCoupledWhereTheShiftedWeightCrossesASamplerThreshold()
    {
        // theta's curated weight 0.094 +- 0.02 at n = 64: its arms expect 4.7 and 7.3 curated samples.
        // A sampler rule that read a weight (an earlier one drew a source expecting at most 6 samples
        // one by one) sends such arms down different paths: their influence SE was 3.2x the per-sample
        // loop's. Coupled arms give the two samplers comparable SEs (measured 1.0x): at most 2x.
        var spec = SpecText.Load(SpecText.Pair.Replace("n = 16", "n = 64")
            .Replace("weights = { real = 0.4, curated = 0.3, cross = { phi = 0.3 } }", "weights = { real = 0.506, curated = 0.094, cross = { phi = 0.4 } }"))
            with { Replicates = 4096, Rounds = 60, BurnIn = 20 };
        var options = new RunOptions { Backend = Backends.Cpu };
        var moments = SimulationRunner.Run(spec with { Sampler = Sampler.Moments }, options).Influence![0].StandardError;
        var samples = SimulationRunner.Run(spec with { Sampler = Sampler.Samples }, options).Influence![0].StandardError;
        Assert.True(moments < 2 * samples, $"influence SE {moments} under moments against {samples} per sample: the arms are not coupled");
    }
}
