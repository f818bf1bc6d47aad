using Engine.Core.Specs;
using Engine.Tests.Support;

namespace Engine.Tests.Sweeps;

/// <summary>Sweep specs: the cells of the axes' product, each a full spec validated like one (docs/spec.md, "Sweeps").</summary>
public class SweepSpecTests
{
    [Fact]
    public void CellsAreTheProductOfTheAxesWithTheFirstAxisSlowest()
    {
        var sweep = SweepLoader.Parse(SweepText.Small(), "small.toml");
        Assert.Equal(6, sweep.Cells.Count);
        var expected = new (double T, double Curated)[] { (0.5, 0.2), (0.5, 0.3), (0.5, 0.4), (1.0, 0.2), (1.0, 0.3), (1.0, 0.4) };
        for (int c = 0; c < 6; c++)
        {
            Assert.Equal(c, sweep.Cells[c].Index);
            Assert.Equal(expected[c].T, SweepAxis.Number(sweep.Cells[c].Values[0]));
            Assert.Equal(expected[c].Curated, SweepAxis.Number(sweep.Cells[c].Values[1]));
        }
    }

    [Fact]
    public void CouplingScalesEveryCrossWeightAndRealAbsorbs()
    {
        var sweep = SweepLoader.Parse(SweepText.Small(), "small.toml");
        // Cell 0: coupling 0.5, then theta's curated set to 0.2 with real absorbing.
        var theta = sweep.Cells[0].Spec.Models[0].Weights;
        Assert.Equal(0.3 * 0.5, theta[WeightIndex.Cross(1)]);
        double realAfterCoupling = 1 - 0.3 - 0.0 - 0.3 * 0.5;
        Assert.Equal(0.2, theta[WeightIndex.Curated]);
        Assert.Equal(realAfterCoupling - (0.2 - 0.3), theta[WeightIndex.Real]);
        // phi has no axis of its own: only the coupling moves its weights.
        var phi = sweep.Cells[5].Spec.Models[1].Weights;
        Assert.Equal(0.3 * 1.0, phi[WeightIndex.Cross(0)]);
        Assert.Equal(1 - 0.3 - 0.0 - 0.3, phi[WeightIndex.Real]);
    }

    [Fact]
    public void StarPathsSetEveryModelAndTopLevelPathsSetTheSpec()
    {
        var text = SweepText.Small() + """

            [[sweep.axis]]
            path = "model.*.n"
            values = [4, 12]

            [[sweep.axis]]
            path = "rounds"
            values = [10]
            """;
        var sweep = SweepLoader.Parse(text, "small.toml");
        Assert.Equal(12, sweep.Cells.Count);
        Assert.All(sweep.Cells[1].Spec.Models, model => Assert.Equal(12, model.N));
        Assert.All(sweep.Cells, cell => Assert.Equal(10, cell.Spec.Rounds));
        Assert.Equal(AxisValueKind.Integer, sweep.Axes[2].Kind);
        Assert.Equal(AxisValueKind.Number, sweep.Axes[0].Kind);
    }

    [Fact]
    public void ACrossWeightAxisCanBeAbsorbedByAnotherWeightAndArraysAreValues()
    {
        var text = SweepText.Small().Replace("path = \"model.theta.weights.curated\"\nvalues = [0.2, 0.3, 0.4]\nabsorb = \"real\"",
            "path = \"model.theta.weights.cross.phi\"\nvalues = [0.1, 0.2]\nabsorb = \"curated\"\n\n[[sweep.axis]]\npath = \"model.phi.real_mean\"\nvalues = [[-3.0, 0.0], [-2, 1]]", StringComparison.Ordinal);
        var sweep = SweepLoader.Parse(text, "small.toml");
        Assert.Equal(8, sweep.Cells.Count);
        // Cell 3: coupling 0.5 (theta's cross weight 0.3 becomes 0.15), then cross.phi = 0.2, the 0.05 taken from curated (0.3).
        var theta = sweep.Cells[3].Spec.Models[0].Weights;
        Assert.Equal(0.2, theta[WeightIndex.Cross(1)]);
        Assert.Equal(0.3 - (0.2 - 0.3 * 0.5), theta[WeightIndex.Curated], 15);
        Assert.Equal(new[] { -2.0, 1.0 }, sweep.Cells[3].Spec.Models[1].RealMean);
        Assert.Equal(AxisValueKind.Text, sweep.Axes[2].Kind);
        Assert.Equal("[-2, 1]", SweepAxis.Format(sweep.Cells[3].Values[2]));
    }

    [Fact]
    public void CellsShareTheSeedUnlessIndependent()
    {
        var shared = SweepLoader.Parse(SweepText.Small(), "small.toml");
        Assert.All(shared.Cells, cell => Assert.Equal(7u, cell.Spec.Seed));
        var independent = SweepLoader.Parse(SweepText.Small(sweep: "[sweep]\nindependent = true"), "small.toml");
        var seeds = independent.Cells.Select(cell => cell.Spec.Seed).ToArray();
        Assert.Equal(seeds.Length, seeds.Distinct().Count());
        Assert.Equal(SweepLoader.CellSeed(7, 3), seeds[3]);
        Assert.NotEqual(shared.Identity, independent.Identity);
    }

    [Fact]
    public void TheIdentityFollowsWhatTheResultsDependOn()
    {
        string text = SweepText.Small();
        var first = SweepLoader.Parse(text, "a.toml");
        Assert.Equal(first.Identity, SweepLoader.Parse("# a comment\n" + text, "b.toml").Identity);
        Assert.NotEqual(first.Identity, SweepLoader.Parse(text, "a.toml", new Dictionary<string, object> { ["replicates"] = 300L }).Identity);
        Assert.NotEqual(first.Identity, SweepLoader.Parse(text.Replace("seed = 7", "seed = 8", StringComparison.Ordinal), "a.toml").Identity);
    }

    [Theory]
    // A cell whose weights leave no room: coupling 3 needs real < 0 in phi.
    [InlineData("values = [0.5, 1.0]", "values = [0.5, 3.0]", "cell 3 (coupling = 3, model.theta.weights.curated = 0.2): model.theta.weights.real = ")]
    // An absorbed weight pushed below 0.
    [InlineData("values = [0.2, 0.3, 0.4]", "values = [0.2, 0.3, 0.9]", "cell 2 (coupling = 0.5, model.theta.weights.curated = 0.9): model.theta.weights.real = ")]
    [InlineData("path = \"model.theta.weights.curated\"", "path = \"model.tehta.weights.curated\"", "sweep.axis[1].path = \"model.tehta.weights.curated\": no model is named tehta; did you mean theta?")]
    [InlineData("path = \"coupling\"", "path = \"rouns\"", "cell 0 (rouns = 0.5, model.theta.weights.curated = 0.2): rouns: unknown key; did you mean rounds?")]
    [InlineData("absorb = \"real\"", "absorb = \"rael\"", "sweep.axis[1].absorb = \"rael\": one of \"real\", \"self\"")]
    [InlineData("values = [0.5, 1.0]", "values = []", "sweep.axis[0].values")]
    [InlineData("absorb = \"real\"", "absorb = \"cross.theta\"", "sweep.axis[1].absorb = \"cross.theta\": one of \"real\", \"self\", \"cross.phi\"")]
    [InlineData("[[sweep.axis]]\npath = \"coupling\"", "[sweep]\ntarget = 0.1\n\n[[sweep.axis]]\npath = \"coupling\"", "sweep.target: unknown key; allowed keys here: independent, target_half_width, max_replicates, axis")]
    public void ABadCellOrAxisIsOneLineNamingTheCellAndTheKey(string from, string to, string expected)
    {
        string text = SweepText.Small().Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(SweepText.Small(), text);
        var error = Assert.Throws<SpecException>(() => SweepLoader.Parse(text, "small.toml"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void TheCliRefusesABadCellWithExitCode2AndWritesNothing()
    {
        string path = Loopsim.WriteSpec(SweepText.Small().Replace("values = [0.5, 1.0]", "values = [0.5, 3.0]", StringComparison.Ordinal), out string folder);
        string store = Path.Combine(folder, "sweep.duckdb");
        var outcome = Loopsim.Run("sweep", path, "--store", store);
        Loopsim.AssertUserError(outcome, "cell 3 (coupling = 3");
        Assert.False(File.Exists(store));
        Assert.Single(Directory.GetFiles(folder));

        var validate = Loopsim.Run("validate", path);
        Loopsim.AssertUserError(validate, "cell 3 (coupling = 3");
    }

    [Fact]
    public void RunRefusesASweepSpecAndValidateChecksEveryCell()
    {
        string path = Loopsim.WriteSpec(SweepText.Small(), out _);
        var run = Loopsim.Run("run", path, "--out", Loopsim.TemporaryFolder());
        Loopsim.AssertUserError(run, "this is a sweep spec");
        var validate = Loopsim.Run("validate", path);
        Assert.Equal(0, validate.ExitCode);
        Assert.Contains("6 cells", validate.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void TheShippedFig3SweepIsTheWorkedExample()
    {
        var sweep = Engine.Sweeps.Fig3.Load(Engine.Sweeps.Fig3.Quick);
        Assert.Equal(45, sweep.Cells.Count);
        Assert.Equal(["model.*.n", "coupling"], sweep.Axes.Select(axis => axis.Path));
        // Cell 38: n = 64 at coupling 0.6 (docs/model.md section 6): cross weights 0.3, real 0.3 and 0.4.
        var cell = sweep.Cells[38].Spec;
        Assert.Equal(64, cell.Models[0].N);
        Assert.Equal(0.5 * 0.6, cell.Models[0].Weights[WeightIndex.Cross(1)]);
        Assert.Equal(1 - 0.4 - 0.0 - 0.5 * 0.6, cell.Models[0].Weights[WeightIndex.Real]);
        Assert.Equal(60, cell.Rounds);
        string shipped = File.ReadAllText(Path.Combine(Engine.Tests.Cli.ReadmeTests.RepositoryRoot(), "specs", "fig3.toml"));
        Assert.Equal(shipped, Engine.Sweeps.Fig3.SpecText);
    }
}
