using Engine.Tests.Support;

namespace Engine.Tests.Cli;

/// <summary>
/// Every bad-spec rule of docs/spec.md, through the real program: exit code 2, one line on
/// stderr naming the key, nothing written.
/// </summary>
public class BadSpecTests
{
    public static TheoryData<string, string, string, string> Cases => new()
    {
        // name, text to replace in the good spec, replacement, what the message must name
        { "unknown top-level key", "seed = 3", "seed = 3\nsead = 4", "sead: unknown key; did you mean seed?" },
        { "misspelt model key", "reward_center = [0.0, 0.0]", "reward_centre = [0.0, 0.0]", "model.theta.reward_centre: unknown key; did you mean reward_center?" },
        { "misspelt choice", "covariance = \"full\"", "covariance = \"ful\"", "(did you mean \"full\"?)" },
        { "misspelt cross model", "cross = { phi = 0.3 } }", "cross = { phy = 0.3 } }", "unknown model \"phy\"; did you mean phi?" },
        { "key with no near match", "seed = 3", "seed = 3\nvelocity = 4", "velocity: unknown key; allowed keys here:" },
        { "unknown model key", "beta = 0.25\nk = \"inf\"\nweights = { real = 0.4, curated = 0.3, cross = { phi", "beta = 0.25\nbetta = 1\nk = \"inf\"\nweights = { real = 0.4, curated = 0.3, cross = { phi", "model.theta.betta: unknown key" },
        { "unknown weight key", "curated = 0.3, cross = { phi", "curated = 0.3, slef = 0.0, cross = { phi", "model.theta.weights.slef: unknown key" },
        { "missing required key", "burn_in = 10\n", "", "burn_in is missing" },
        { "missing model key", "reward_center = [0.0, 0.0]\n", "", "model.theta.reward_center is missing" },
        { "negative weight", "weights = { real = 0.4, curated = 0.3, cross = { phi", "weights = { real = -0.1, curated = 0.8, cross = { phi", "model.theta.weights.real = -0.1" },
        { "weights not summing to 1", "weights = { real = 0.4, curated = 0.3, cross = { phi", "weights = { real = 0.5, curated = 0.3, cross = { phi", "model.theta.weights = \"sum 1.1" },
        { "cross weight on unknown model", "cross = { phi = 0.3 }", "cross = { psi = 0.3 }", "model.theta.weights.cross.psi: unknown model" },
        { "cross weight on itself", "cross = { phi = 0.3 }", "cross = { theta = 0.3 }", "model.theta.weights.cross.theta" },
        { "vector of wrong size", "real_mean = [0.0, 0.0]", "real_mean = [0.0, 0.0, 0.0]", "model.theta.real_mean" },
        { "matrix of wrong size", "real_cov = [[1.0, 0.0], [0.0, 1.0]]\nreward = \"quadratic\"\nreward_center = [0.0, 0.0]", "real_cov = [[1.0, 0.0]]\nreward = \"quadratic\"\nreward_center = [0.0, 0.0]", "model.theta.real_cov" },
        { "covariance not symmetric", "real_cov = [[1.0, 0.0], [0.0, 1.0]]\nreward = \"quadratic\"\nreward_center = [0.0, 0.0]", "real_cov = [[1.0, 0.5], [0.0, 1.0]]\nreward = \"quadratic\"\nreward_center = [0.0, 0.0]", "model.theta.real_cov" },
        { "covariance not positive definite", "real_cov = [[1.0, 0.0], [0.0, 1.0]]\nreward = \"quadratic\"\nreward_center = [0.0, 0.0]", "real_cov = [[1.0, 2.0], [2.0, 1.0]]\nreward = \"quadratic\"\nreward_center = [0.0, 0.0]", "symmetric positive definite" },
        { "init_cov not positive definite", "real_cov = [[1.0, 0.0], [0.0, 1.0]]\nreward = \"quadratic\"\nreward_center = [0.0, 0.0]", "real_cov = [[1.0, 0.0], [0.0, 1.0]]\ninit_cov = [[0.0, 0.0], [0.0, 1.0]]\nreward = \"quadratic\"\nreward_center = [0.0, 0.0]", "model.theta.init_cov" },
        { "n < 1", "n = 16\ncovariance = \"full\"\nreal_mean = [0.0, 0.0]", "n = 0\ncovariance = \"full\"\nreal_mean = [0.0, 0.0]", "model.theta.n = 0" },
        { "k < 1", "k = \"inf\"\nweights = { real = 0.4, curated = 0.3, cross = { phi", "k = 0\nweights = { real = 0.4, curated = 0.3, cross = { phi", "model.theta.k = 0" },
        { "k not inf", "k = \"inf\"\nweights = { real = 0.4, curated = 0.3, cross = { phi", "k = \"infinite\"\nweights = { real = 0.4, curated = 0.3, cross = { phi", "model.theta.k = \"infinite\"" },
        { "beta < 0", "beta = 0.25\nk = \"inf\"\nweights = { real = 0.4, curated = 0.3, cross = { phi", "beta = -1\nk = \"inf\"\nweights = { real = 0.4, curated = 0.3, cross = { phi", "model.theta.beta = -1" },
        { "burn_in >= rounds", "burn_in = 10", "burn_in = 30", "burn_in = 30" },
        { "replicates < 2", "replicates = 512", "replicates = 1", "replicates = 1" },
        { "replicates > 2^48", "replicates = 512", "replicates = 281474976710657", "replicates = 281474976710657: an integer from 2 to 2^48" },
        { "nan", "beta = 0.25\nk = \"inf\"\nweights = { real = 0.4, curated = 0.3, cross = { phi", "beta = nan\nk = \"inf\"\nweights = { real = 0.4, curated = 0.3, cross = { phi", "model.theta.beta = NaN" },
        { "inf in a vector", "real_mean = [0.0, 0.0]", "real_mean = [inf, 0.0]", "model.theta.real_mean" },
        { "duplicate model names", "name = \"phi\"", "name = \"theta\"", "model[1].name = \"theta\": model names must be unique" },
        { "influence on unknown model", "model = \"theta\"\nabsorb", "model = \"omega\"\nabsorb", "influence.model = \"omega\"" },
        { "influence absorbing an unknown weight", "absorb = \"real\"", "absorb = \"fake\"", "influence.absorb = \"fake\"" },
        { "influence step leaving [0, 1]", "step = 0.02", "step = 0.45", "influence.step = 0.45" },
        { "bad schedule", "seed = 3", "seed = 3\nschedule = \"parallel\"", "schedule = \"parallel\"" },
        { "integer given as float", "n = 16\ncovariance = \"full\"\nreal_mean = [0.0, 0.0]", "n = 16.5\ncovariance = \"full\"\nreal_mean = [0.0, 0.0]", "model.theta.n = 16.5" },
        { "TOML syntax error", "seed = 3", "seed = = 3", "TOML syntax error at line 5" },
        { "duplicate TOML key", "seed = 3", "seed = 3\nseed = 4", "TOML syntax error at line 6" },
        { "reward key of the other reward", "reward_center = [0.0, 0.0]\nbeta", "reward_center = [0.0, 0.0]\nreward_direction = [1.0, 0.0]\nbeta", "model.theta.reward_direction: not used with reward = \"quadratic\"" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadSpecGivesOneLineExitTwoAndNoOutput(string name, string find, string replace, string expected)
    {
        Assert.Contains(find, SpecText.Pair, StringComparison.Ordinal);
        string specPath = Loopsim.WriteSpec(ReplaceFirst(SpecText.Pair, find, replace), out string folder, "bad.toml");
        string output = Path.Combine(folder, "out");
        var outcome = Loopsim.Run("run", specPath, "--out", output);
        Assert.True(outcome.ExitCode == 2, $"{name}: exit code {outcome.ExitCode}, stderr: {outcome.StandardError}");
        var lines = outcome.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), $"{name}: output folder was created");
    }

    [Theory]
    [InlineData("--replicates", "1", "--replicates = 1")]
    [InlineData("--replicates", "281474976710657", "--replicates = 281474976710657: an integer from 2 to 2^48")]
    [InlineData("--seed", "-3", "--seed = -3")]
    [InlineData("--threads", "0", "--threads = 0")]
    [InlineData("--backend", "quantum", "--backend = \"quantum\"")]
    [InlineData("--threads", "two", "two")]
    [InlineData("--simd", "1024", "--simd = \"1024\"")]
    [InlineData("--precision", "half", "--precision = \"half\"")]
    public void BadFlagGivesOneLineAndExitTwo(string flag, string value, string expected) =>
        AssertUserError(new Dictionary<string, string>(), expected, flag, value);

    [Fact]
    public void SinglePrecisionOnTheReferenceBackendIsAUserError() =>
        AssertUserError(new Dictionary<string, string>(), "--precision = \"single\"", "--backend", "reference", "--precision", "single");

    [Fact]
    public void SinglePrecisionAtAWidthWithoutFloatLanesIsAUserError() =>
        AssertUserError(new Dictionary<string, string>(), "--simd = \"512\"", "--precision", "single", "--simd", "512");

    [Fact]
    public void UnknownWidthInTheEnvironmentIsAUserError() =>
        AssertUserError(new Dictionary<string, string> { ["LOOPSIM_SIMD"] = "1024" }, "LOOPSIM_SIMD = \"1024\"");

    private static void AssertUserError(IReadOnlyDictionary<string, string> environment, string expected, params string[] flags) =>
        Loopsim.AssertFlagError(environment, expected, flags);

    [Fact]
    public void EnvironmentWidthWithoutFloatLanesLeavesSinglePrecisionAtAuto()
    {
        // One LOOPSIM_SIMD serves both precisions: 128 has no float form, so single runs at auto.
        string specPath = Loopsim.WriteSpec(SpecText.Pair, out string folder, "good.toml");
        var forced = Loopsim.RunWith(new Dictionary<string, string> { ["LOOPSIM_SIMD"] = "128" }, "run", specPath, "--precision", "single", "--replicates", "64", "--out", Path.Combine(folder, "forced"));
        var plain = Loopsim.Run("run", specPath, "--precision", "single", "--replicates", "64", "--out", Path.Combine(folder, "plain"));
        Assert.Equal(0, forced.ExitCode);
        Assert.Equal(0, plain.ExitCode);
        Assert.Equal(File.ReadAllBytes(Path.Combine(folder, "plain", "summary.json")), File.ReadAllBytes(Path.Combine(folder, "forced", "summary.json")));
    }

    [Fact]
    public void MissingSpecFileIsAUserError()
    {
        var outcome = Loopsim.Run("run", "/nonexistent/spec.toml");
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("no such file", outcome.StandardError, StringComparison.Ordinal);
    }

    private static string ReplaceFirst(string text, string find, string replace)
    {
        int at = text.IndexOf(find, StringComparison.Ordinal);
        return text[..at] + replace + text[(at + find.Length)..];
    }
}
