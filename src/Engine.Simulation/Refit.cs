using System.Runtime.InteropServices;
using Engine.Core.Specs;
using Engine.Simulation.Lanes;
using Engine.Simulation.Step;

namespace Engine.Simulation;

/// <summary>Maximum-likelihood refit of a Gaussian (docs/model.md section 3) on plain doubles; the loop's is <see cref="ModelStep.AccumulateChunk"/> and <see cref="ModelStep.FinishRefit"/>.</summary>
public static class Refit
{
    /// <summary>Adds a chunk of <paramref name="count"/> samples (row-major, count x d) to a running mean and co-moment of <paramref name="before"/> samples.</summary>
    public static void AccumulateChunk(ReadOnlySpan<double> samples, int count, int before, Span<double> mean, Span<double> comoment)
    {
        Span<ScalarLane> scratch = stackalloc ScalarLane[mean.Length];
        var sampleLanes = MemoryMarshal.Cast<double, ScalarLane>(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(samples), samples.Length));
        ModelStep.AccumulateChunk<ScalarLane, LaneSpan<ScalarLane>>(mean.Length, sampleLanes, count, before, MemoryMarshal.Cast<double, ScalarLane>(mean),
            MemoryMarshal.Cast<double, ScalarLane>(comoment), scratch);
    }

    /// <summary>Sigma = co-moment / n, projected onto the structure, ridge added.</summary>
    public static void Finish(ModelSpec spec, ReadOnlySpan<double> comoment, Span<double> newCov)
    {
        int d = spec.InitMean.Length;
        var (parameters, constants) = ModelTable.Of(spec, d);
        var comomentLanes = MemoryMarshal.Cast<double, ScalarLane>(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(comoment), comoment.Length));
        ModelStep.FinishRefit<ScalarLane, LaneSpan<ScalarLane>, ConstantSpan>(in parameters, new ConstantSpan(constants), d, comomentLanes, MemoryMarshal.Cast<double, ScalarLane>(newCov));
    }
}
