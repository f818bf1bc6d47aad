using Engine.Core.Numerics;
using Engine.Core.Random;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;

namespace Engine.Core.Specs;

/// <summary>Parses and validates a spec file (docs/spec.md). Every rule failure is a <see cref="SpecException"/>.</summary>
public static class SpecLoader
{
    /// <summary>How far a model's weights may sum from 1.</summary>
    public const double WeightSumTolerance = 1e-9;
    /// <summary>A spec file larger than this is refused before it is read: the largest real spec (256 models in dimension 64) is far smaller, and parsing tens of megabytes takes minutes and gigabytes.</summary>
    public const long MaxFileBytes = 16L << 20;
    /// <summary>The largest dimension.</summary>
    public const int MaxDimension = 64;
    /// <summary>k x dimension per model: the curated candidates of a sample are held per worker thread (use k = "inf" for the exact large-k limit).</summary>
    public const long MaxCandidateValues = 1 << 18;
    /// <summary>(rounds + 1) x models x (dimension + 2): the per-round values of a replicate's trajectory, held per worker thread for a block of replicates.</summary>
    public const long MaxTrajectoryValues = 1 << 20;

    private static readonly string[] TopLevelKeys =
        ["dimension", "rounds", "burn_in", "replicates", "seed", "schedule", "mixture", "sampler", "model", "influence"];

    private static readonly string[] ModelKeys =
        ["name", "n", "covariance", "real_mean", "real_cov", "init_mean", "init_cov", "reward", "reward_center",
         "reward_direction", "beta", "k", "ridge", "weights"];

    /// <summary>The values of <c>sampler</c> and <c>--sampler</c>, the default first.</summary>
    public static readonly string[] SamplerNames = ["moments", "samples"];

    /// <summary>The spec key's and flag's name of a sampler.</summary>
    public static string NameOf(Sampler sampler) => SamplerNames[(int)sampler];

    /// <summary>The sampler a name of <see cref="SamplerNames"/> names, or null for any other text.</summary>
    public static Sampler? SamplerNamed(string name) => Array.IndexOf(SamplerNames, name) is >= 0 and var index ? (Sampler)index : null;

    private static readonly string[] WeightKeys = ["real", "curated", "self", "cross"];
    private static readonly string[] InfluenceKeys = ["model", "absorb", "step"];

    /// <summary>The keys of a sweep spec's [sweep] table (docs/spec.md, "Sweeps").</summary>
    public static readonly IReadOnlyList<string> SweepKeys = ["independent", "target_half_width", "max_replicates", "axis"];
    /// <summary>The keys of each [[sweep.axis]] table.</summary>
    public static readonly IReadOnlyList<string> SweepAxisKeys = ["path", "values", "absorb"];

    /// <summary>Every key the loader accepts, as a dotted path (docs/spec.md documents each; a test holds them equal).</summary>
    public static IReadOnlyList<string> AcceptedKeys =>
    [
        .. TopLevelKeys,
        .. ModelKeys.Select(key => "model." + key),
        .. WeightKeys.Select(key => "model.weights." + key),
        .. InfluenceKeys.Select(key => "influence." + key),
        "sweep",
        .. SweepKeys.Select(key => "sweep." + key),
        .. SweepAxisKeys.Select(key => "sweep.axis." + key),
    ];

    /// <summary>Loads and validates a spec file; every rule failure is a <see cref="SpecException"/>.</summary>
    public static SimulationSpec LoadFile(string path) => Parse(ReadFile(path), path);

    /// <summary>The text of a spec file, refused with one line when it is missing or too large to be a spec.</summary>
    public static string ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new SpecException($"SPEC = \"{path}\": no such file");
        }
        long bytes = new FileInfo(path).Length;
        if (bytes > MaxFileBytes)
        {
            throw new SpecException($"SPEC = \"{path}\": {bytes / (1024.0 * 1024.0):F1} MB; a spec is at most {MaxFileBytes >> 20} MB (dimension <= {MaxDimension} and at most {ReplicateStream.MaxModels} models keep a real one far smaller)");
        }
        return File.ReadAllText(path);
    }

    /// <summary>Parses and validates spec text; <paramref name="sourceName"/> names it in syntax errors.</summary>
    public static SimulationSpec Parse(string text, string sourceName = "spec.toml") => FromTable(ParseDocument(text, sourceName));

    /// <summary>The TOML document of spec text, not yet validated; a syntax error is a <see cref="SpecException"/> naming the line.</summary>
    public static TomlTable ParseDocument(string text, string sourceName = "spec.toml")
    {
        RejectOversizedDimension(text);
        var document = SyntaxParser.Parse(text, sourceName, true);
        if (document.Diagnostics.HasErrors)
        {
            var first = document.Diagnostics.First(d => d.Kind == Tomlyn.Syntax.DiagnosticMessageKind.Error);
            throw new SpecException($"{sourceName}: TOML syntax error at line {first.Span.Start.Line + 1}, column {first.Span.Start.Column + 1}: {first.Message}");
        }
        TomlTable root;
        try
        {
            root = TomlSerializer.Deserialize<TomlTable>(text) ?? new TomlTable();
        }
        catch (TomlException e)
        {
            throw new SpecException($"{sourceName}: TOML syntax error at line {e.Line}: {e.Message}");
        }
        return root;
    }

    /// <summary>Validates a parsed TOML document.</summary>
    public static SimulationSpec FromTable(TomlTable root)
    {
        if (root.ContainsKey("sweep"))
        {
            throw new SpecException("sweep: this is a sweep spec ([sweep] and [[sweep.axis]]); run its cells with loopsim sweep, check them with loopsim validate");
        }
        var top = new TomlTableReader(root, "", TopLevelKeys);
        top.RejectUnknownKeys();
        int dimension = (int)top.Integer("dimension", 1, MaxDimension, $"an integer from 1 to {MaxDimension}");
        int rounds = (int)top.Integer("rounds", 1, int.MaxValue, "an integer >= 1");
        int burnIn = (int)top.Integer("burn_in", 0, rounds - 1, $"an integer from 0 to rounds - 1 = {rounds - 1}");
        long replicates = top.Integer("replicates", 2, ReplicateStream.MaxReplicates, ReplicateStream.ReplicatesAllowed);
        uint seed = (uint)top.Integer("seed", 0, uint.MaxValue, "an integer from 0 to 4294967295");
        var schedule = top.Choice("schedule", ["simultaneous", "sequential"], "simultaneous") == "sequential"
            ? Schedule.Sequential : Schedule.Simultaneous;
        var mixture = top.Choice("mixture", ["multinomial", "fixed"], "multinomial") == "fixed"
            ? MixtureMode.Fixed : MixtureMode.Multinomial;
        var sampler = SamplerNamed(top.Choice("sampler", SamplerNames, SamplerNames[0]))!.Value;

        const string modelAllowed = "one or more [[model]] tables";
        if (top.Required("model", modelAllowed) is not TomlTableArray modelTables || modelTables.Count == 0)
        {
            throw SpecException.Invalid("model", root["model"], modelAllowed);
        }
        if (modelTables.Count > ReplicateStream.MaxModels)
        {
            throw SpecException.Invalid("model", $"{modelTables.Count} tables", $"at most {ReplicateStream.MaxModels} models");
        }
        long trajectoryValues = (rounds + 1L) * modelTables.Count * (dimension + 2);
        if (trajectoryValues > MaxTrajectoryValues)
        {
            throw SpecException.Invalid("rounds", rounds,
                $"at most {MaxTrajectoryValues / ((long)modelTables.Count * (dimension + 2)) - 1} with {modelTables.Count} models in dimension {dimension}: (rounds + 1) x models x (dimension + 2) values of a replicate's trajectory are held per worker thread, at most {MaxTrajectoryValues}");
        }
        var names = ReadModelNames(modelTables);
        var models = new ModelSpec[modelTables.Count];
        for (int i = 0; i < models.Length; i++)
        {
            models[i] = ReadModel(modelTables[i], $"model.{names[i]}", i, names, dimension);
        }

        var spec = new SimulationSpec
        {
            Dimension = dimension,
            Rounds = rounds,
            BurnIn = burnIn,
            Replicates = replicates,
            Seed = seed,
            Schedule = schedule,
            Mixture = mixture,
            Sampler = sampler,
            Models = models,
        };
        if (top.Has("influence"))
        {
            spec = spec with { Influence = ReadInfluence(top.Table("influence", "a table"), spec) };
        }
        return spec;
    }

    /// <summary>
    /// A dimension beyond the limit is named before the document is parsed: its matrices are what
    /// makes such a file large (dimension = 3000 took 40 s and 5.9 GB to parse before).
    /// </summary>
    private static void RejectOversizedDimension(string text)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text, @"^\s*dimension\s*=\s*(\d{1,18})\s*(#.*)?$", System.Text.RegularExpressions.RegexOptions.Multiline);
        if (match.Success && long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) is var dimension and > MaxDimension)
        {
            throw SpecException.Invalid("dimension", dimension, $"an integer from 1 to {MaxDimension}");
        }
    }

    private static string[] ReadModelNames(TomlTableArray tables)
    {
        var names = new string[tables.Count];
        for (int i = 0; i < names.Length; i++)
        {
            var reader = new TomlTableReader(tables[i], $"model[{i}]", ModelKeys);
            string name = reader.Text("name", "a non-empty string");
            if (Array.IndexOf(names, name, 0, i) >= 0)
            {
                throw SpecException.Invalid($"model[{i}].name", name, "model names must be unique");
            }
            names[i] = name;
        }
        return names;
    }

    private static ModelSpec ReadModel(TomlTable table, string path, int index, string[] names, int d)
    {
        var reader = new TomlTableReader(table, path, ModelKeys);
        reader.RejectUnknownKeys();
        int n = (int)reader.Integer("n", 1, ReplicateStream.MaxSamplesPerRound, $"an integer from 1 to {ReplicateStream.MaxSamplesPerRound}");
        var covariance = reader.Choice("covariance", ["full", "diag", "iso", "fixed"]) switch
        {
            "diag" => CovarianceStructure.Diag,
            "iso" => CovarianceStructure.Iso,
            "fixed" => CovarianceStructure.Fixed,
            _ => CovarianceStructure.Full,
        };
        var realMean = reader.Vector("real_mean", d);
        var realCov = ReadCovariance(reader, "real_cov", d);
        var initMean = reader.Has("init_mean") ? reader.Vector("init_mean", d) : (double[])realMean.Clone();
        var initCov = reader.Has("init_cov") ? ReadCovariance(reader, "init_cov", d) : (double[])realCov.Clone();

        var reward = reader.Choice("reward", ["linear", "quadratic"]) == "linear" ? RewardKind.Linear : RewardKind.Quadratic;
        string vectorKey = reward == RewardKind.Linear ? "reward_direction" : "reward_center";
        string otherKey = reward == RewardKind.Linear ? "reward_center" : "reward_direction";
        if (reader.Has(otherKey))
        {
            throw new SpecException($"{reader.PathOf(otherKey)}: not used with reward = \"{(reward == RewardKind.Linear ? "linear" : "quadratic")}\"; give {vectorKey} instead");
        }
        var rewardVector = reader.Vector(vectorKey, d);
        double beta = reader.Number("beta", 0, double.MaxValue, "a finite number >= 0");
        int k = ReadK(reader);
        if ((long)k * d > MaxCandidateValues)
        {
            throw SpecException.Invalid(reader.PathOf("k"), k, $"at most {MaxCandidateValues / d} in dimension {d} (k x dimension <= {MaxCandidateValues}: a curated sample's candidates are held per worker thread), or \"inf\" for the exact large-k limit");
        }
        double ridge = reader.Number("ridge", 0, double.MaxValue, "a finite number >= 0", 0.0);
        var weights = ReadWeights(reader.Table("weights", "an inline table { real, curated, self, cross }"), $"{path}.weights", index, names);

        return new ModelSpec
        {
            Name = names[index],
            N = n,
            Covariance = covariance,
            RealMean = realMean,
            RealCov = realCov,
            InitMean = initMean,
            InitCov = initCov,
            Reward = reward,
            RewardVector = rewardVector,
            Beta = beta,
            K = k,
            Ridge = ridge,
            Weights = weights,
        };
    }

    private static double[] ReadCovariance(TomlTableReader reader, string key, int d)
    {
        var matrix = reader.Matrix(key, d);
        if (!SmallMatrix.IsSymmetric(matrix, d) || !SmallMatrix.IsPositiveDefinite(matrix, d))
        {
            throw SpecException.Invalid(reader.PathOf(key), ToRows(matrix, d), "a symmetric positive definite matrix");
        }
        return matrix;
    }

    private static double[][] ToRows(double[] matrix, int d) =>
        Enumerable.Range(0, d).Select(i => matrix.AsSpan(i * d, d).ToArray()).ToArray();

    private static int ReadK(TomlTableReader reader)
    {
        const string allowed = "\"inf\" or an integer >= 1";
        var value = reader.Required("k", allowed);
        if (value is string text)
        {
            return text == "inf" ? ModelSpec.InfiniteK : throw SpecException.Invalid(reader.PathOf("k"), value, allowed);
        }
        return (int)TomlTableReader.ToInteger(reader.PathOf("k"), value, 1, 1_000_000, allowed);
    }

    private static double[] ReadWeights(TomlTable table, string path, int self, string[] names)
    {
        var reader = new TomlTableReader(table, path, WeightKeys);
        reader.RejectUnknownKeys();
        const string allowed = "a finite number from 0 to 1";
        var weights = new double[WeightIndex.Count(names.Length)];
        weights[WeightIndex.Real] = reader.Number("real", 0, 1, allowed);
        weights[WeightIndex.Curated] = reader.Number("curated", 0, 1, allowed);
        weights[WeightIndex.Self] = reader.Number("self", 0, 1, allowed, 0.0);
        if (reader.Has("cross"))
        {
            var cross = reader.Table("cross", "an inline table { <model name> = weight }");
            foreach (var (name, value) in cross)
            {
                string key = $"{path}.cross.{name}";
                int other = Array.IndexOf(names, name);
                if (other < 0)
                {
                    var others = names.Where((_, i) => i != self).ToArray();
                    string hint = Suggestions.Nearest(name, others) is { } meant ? $"did you mean {meant}? " : "";
                    throw new SpecException($"{key}: unknown model \"{name}\"; {hint}cross weights name other models: {string.Join(", ", others)}");
                }
                if (other == self)
                {
                    throw new SpecException($"{key}: a model's own outputs are weights.self, not a cross weight");
                }
                weights[WeightIndex.Cross(other)] = TomlTableReader.ToNumber(key, value, 0, 1, allowed);
            }
        }
        double sum = weights.Sum();
        if (Math.Abs(sum - 1) > WeightSumTolerance)
        {
            throw SpecException.Invalid(path, $"sum {TomlTableReader.Invariant(sum)}", "the weights must be >= 0 and sum to 1 (within 1e-9)");
        }
        return weights;
    }

    private static InfluenceSpec ReadInfluence(TomlTable table, SimulationSpec spec)
    {
        var reader = new TomlTableReader(table, "influence", InfluenceKeys);
        reader.RejectUnknownKeys();
        var names = spec.Models.Select(m => m.Name).ToArray();
        string name = reader.Text("model", "the name of a model");
        int model = spec.IndexOf(name);
        if (model < 0)
        {
            string hint = Suggestions.Nearest(name, names) is { } meant ? $" (did you mean {meant}?)" : "";
            throw SpecException.Invalid("influence.model", name, "the name of a model: " + string.Join(", ", names) + hint);
        }
        var absorbChoices = new List<string> { "real", "self" };
        absorbChoices.AddRange(names.Where((_, i) => i != model).Select(n => $"cross.{n}"));
        string absorb = reader.Choice("absorb", [.. absorbChoices], "real");
        int absorbIndex = absorb switch
        {
            "real" => WeightIndex.Real,
            "self" => WeightIndex.Self,
            _ => WeightIndex.Cross(spec.IndexOf(absorb["cross.".Length..])),
        };
        double step = reader.Number("step", double.Epsilon, 0.5, "a finite number in (0, 0.5]", 0.02);
        var weights = spec.Models[model].Weights;
        foreach (int sign in (ReadOnlySpan<int>)[-1, 1])
        {
            double curated = weights[WeightIndex.Curated] + sign * step;
            double absorbed = weights[absorbIndex] - sign * step;
            if (curated < 0 || curated > 1 || absorbed < 0 || absorbed > 1)
            {
                throw SpecException.Invalid("influence.step", step,
                    $"the arms need model.{name}.weights.curated +- step and weights.{absorb} -+ step inside [0, 1] " +
                    $"(curated = {TomlTableReader.Invariant(weights[WeightIndex.Curated])}, {absorb} = {TomlTableReader.Invariant(weights[absorbIndex])})");
            }
        }
        return new InfluenceSpec(model, absorbIndex, absorb, step);
    }
}
