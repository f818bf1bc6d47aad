using Engine.Core.Specs;

namespace Engine.Sweeps;

/// <summary>
/// The worked example of docs/model.md section 6 (our analogue of the paper's Figure 3): the sweep
/// spec specs/fig3.toml, shipped inside the engine, with a quick and a full preset.
/// </summary>
public static class Fig3
{
    /// <summary>Rounds, burn-in and replicates of a preset, set over the spec's own.</summary>
    public sealed record Preset(string Name, int Rounds, int BurnIn, long Replicates)
    {
        /// <summary>The preset as overrides of the spec's top-level keys; <paramref name="sampler"/> (a <c>sampler</c> value) replaces the spec's.</summary>
        public IReadOnlyDictionary<string, object> Overrides(long? replicates, string? sampler = null)
        {
            var overrides = new Dictionary<string, object>
            {
                ["rounds"] = (long)Rounds,
                ["burn_in"] = (long)BurnIn,
                ["replicates"] = replicates ?? Replicates,
            };
            if (sampler is not null)
            {
                overrides["sampler"] = sampler;
            }
            return overrides;
        }
    }

    /// <summary>The --quick preset.</summary>
    public static readonly Preset Quick = new("quick", 60, 20, 512);
    /// <summary>The full preset (the spec file's own values).</summary>
    public static readonly Preset Full = new("full", 200, 100, 4096);

    /// <summary>The path of the n axis and of the coupling axis.</summary>
    public const string SampleSizeAxis = "model.*.n";

    /// <summary>The text of specs/fig3.toml.</summary>
    public static string SpecText { get; } = ReadSpec();

    /// <summary>The spec without its [sweep] tables: the model at coupling 1, a plain spec.</summary>
    public static string BaseText => SpecText[..SpecText.IndexOf("\n[sweep]", StringComparison.Ordinal)];

    /// <summary>specs/fig3.toml with the preset's rounds, burn-in, replicates and sampler written in: the file a run used.</summary>
    public static string PresetText(Preset preset, long? replicates = null, string? sampler = null)
    {
        string text = SpecText;
        foreach (var (key, value) in preset.Overrides(replicates, sampler))
        {
            string written = value is string name ? $"\"{name}\"" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{value}");
            text = System.Text.RegularExpressions.Regex.Replace(text, $@"(?m)^{key} = .+$", $"{key} = {written}");
        }
        return text;
    }

    /// <summary>The sweep of a preset; <paramref name="replicates"/> and <paramref name="sampler"/> override the preset's.</summary>
    public static SweepSpec Load(Preset preset, long? replicates = null, string? sampler = null) =>
        SweepLoader.Parse(SpecText, "fig3.toml", preset.Overrides(replicates, sampler));

    private static string ReadSpec()
    {
        using var stream = typeof(Fig3).Assembly.GetManifestResourceStream("fig3.toml")
            ?? throw new InvalidOperationException("specs/fig3.toml is not embedded in Engine.Sweeps");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
