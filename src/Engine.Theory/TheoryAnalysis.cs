using System.Numerics;
using Engine.Core.Specs;

namespace Engine.Theory;

/// <summary>One model at the fixed point.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Mean">Its fixed-point mean.</param>
/// <param name="Cov">Its fixed-point covariance, row-major d x d.</param>
/// <param name="Alignment">J_i(p_i*).</param>
public sealed record ModelFixedPoint(string Name, double[] Mean, double[] Cov, double Alignment);

/// <summary>dJ_on(p_on*)/dw_curated^cur; <c>Isolated</c> (others frozen) only where on == curated.</summary>
public sealed record InfluenceEntry(int Curated, int On, double Total, double? Isolated);

/// <summary>The population theory of a spec.</summary>
public sealed record TheoryResult
{
    /// <summary>The spec.</summary>
    public required SimulationSpec Spec { get; init; }
    /// <summary>The fixed-point search.</summary>
    public required FixedPoint FixedPoint { get; init; }
    /// <summary>Of the Jacobian at the fixed point (NaN without one).</summary>
    public double SpectralRadius { get; init; } = double.NaN;
    /// <summary>Of that Jacobian, largest modulus first.</summary>
    public Complex[] Eigenvalues { get; init; } = [];
    /// <summary>Each model at the fixed point.</summary>
    public ModelFixedPoint[] Models { get; init; } = [];
    /// <summary>Every (curated, on) influence.</summary>
    public InfluenceEntry[] Influence { get; init; } = [];

    /// <summary>Whether a fixed point was found.</summary>
    public bool Converged => FixedPoint.Converged;
    /// <summary>Whether it is locally stable.</summary>
    public bool Stable => Converged && SpectralRadius < 1;

    /// <summary>dJ_on / dw_curated^cur.</summary>
    public double InfluenceOf(int curated, int on) => Influence.First(e => e.Curated == curated && e.On == on).Total;
}

/// <summary>
/// The population theory of a spec (docs/model.md section 5): fixed point, stability and the
/// influence matrix by the implicit function theorem, dTheta* = (I - DF)^-1 dF/dw, with every
/// derivative exact (dual numbers).
/// </summary>
public static class TheoryAnalysis
{
    /// <summary>Fixed point, stability and influence matrix of the spec.</summary>
    public static TheoryResult Run(SimulationSpec spec)
    {
        var map = new PopulationMap(spec);
        var fixedPoint = FixedPointSolver.Solve(map);
        var result = new TheoryResult { Spec = spec, FixedPoint = fixedPoint };
        if (!fixedPoint.Converged)
        {
            return result;
        }
        var state = fixedPoint.State;
        var jacobian = FixedPointSolver.Jacobian(map, state);
        var eigenvalues = Theory.Eigenvalues.Of(jacobian, state.Length);
        int m = spec.ModelCount, d = map.D;
        var models = new ModelFixedPoint[m];
        var realState = state.Select(v => new Real(v)).ToArray();
        for (int i = 0; i < m; i++)
        {
            var mean = new double[d];
            var cov = new double[d * d];
            map.Unpack<double>(state.AsSpan(i * map.Stride, map.Stride), mean, cov);
            models[i] = new ModelFixedPoint(spec.Models[i].Name, mean, cov, map.Reward<Real>(i, realState, i).Value);
        }
        var influence = new List<InfluenceEntry>();
        for (int i = 0; i < m; i++)
        {
            influence.AddRange(InfluenceOfCurating(map, state, jacobian, i, AbsorbIndexFor(spec, i)));
        }
        return result with
        {
            SpectralRadius = Theory.Eigenvalues.SpectralRadius(eigenvalues),
            Eigenvalues = eigenvalues,
            Models = models,
            Influence = [.. influence],
        };
    }

    /// <summary>The weight that absorbs a change of w^cur: the spec's [influence] choice for its model, else real.</summary>
    public static int AbsorbIndexFor(SimulationSpec spec, int model) =>
        spec.Influence is { } request && request.Model == model ? request.AbsorbIndex : WeightIndex.Real;

    private static IEnumerable<InfluenceEntry> InfluenceOfCurating(PopulationMap map, double[] state, double[] jacobian, int curated, int absorb)
    {
        int n = state.Length, m = map.Spec.ModelCount, stride = map.Stride;
        // dF/dw: the map at Theta* with the weight moved by a dual epsilon.
        var input = state.Select(v => new Dual(v, 0)).ToArray();
        var output = new Dual[n];
        map.Apply<Dual>(input, output, new WeightShift<Dual>(curated, WeightIndex.Curated, absorb, new Dual(0, 1)));
        var forcing = output.Select(v => v.Derivative).ToArray();

        var total = SolveShifted(jacobian, n, forcing, 0, n);
        // The isolated prediction freezes the other models: its Jacobian block and forcing come
        // from the map with the others held at Theta* (which differs from the coupled block under
        // the sequential schedule, where a model sees the others' refits of the same round).
        map.Apply<Dual>(input, output, new WeightShift<Dual>(curated, WeightIndex.Curated, absorb, new Dual(0, 1)), othersFrozen: true);
        var frozenForcing = output.Select(v => v.Derivative).ToArray();
        var frozenJacobian = FixedPointSolver.Jacobian(map, state, othersFrozen: true);
        var isolated = SolveShifted(frozenJacobian, n, frozenForcing, curated * stride, stride);
        for (int j = 0; j < m; j++)
        {
            double effect = DirectionalReward(map, state, total, j, 0);
            double? alone = j == curated ? DirectionalReward(map, state, isolated, j, curated * stride) : null;
            yield return new InfluenceEntry(curated, j, effect, alone);
        }
    }

    /// <summary>(I - J_block)^-1 forcing_block for the diagonal block [offset, offset + size).</summary>
    private static double[] SolveShifted(double[] jacobian, int n, double[] forcing, int offset, int size)
    {
        var system = new Real[size * size];
        var rhs = new Real[size];
        for (int r = 0; r < size; r++)
        {
            for (int c = 0; c < size; c++)
            {
                system[r * size + c] = new Real((r == c ? 1 : 0) - jacobian[(offset + r) * n + offset + c]);
            }
            rhs[r] = new Real(forcing[offset + r]);
        }
        GenericLinearAlgebra.Solve(system, rhs, size, 1);
        return rhs.Select(v => v.Value).ToArray();
    }

    /// <summary>grad J_j . direction, where direction covers the state from <paramref name="offset"/> on.</summary>
    private static double DirectionalReward(PopulationMap map, double[] state, double[] direction, int model, int offset)
    {
        var dual = new Dual[state.Length];
        for (int k = 0; k < state.Length; k++)
        {
            int local = k - offset;
            dual[k] = new Dual(state[k], local >= 0 && local < direction.Length ? direction[local] : 0);
        }
        return map.Reward<Dual>(model, dual, model).Derivative;
    }
}
