using System.Text;
using System.Text.Json;
using Engine.Core.Statistics;

namespace Engine.Core.Results;

/// <summary>
/// summary.json (docs/outputs.md): a pure function of spec, seed and replicate count, so the
/// same run on any thread count gives the same bytes. Undefined numbers are written as null,
/// never NaN.
/// </summary>
public static class SummaryWriter
{
    /// <summary>summary.json of a result (docs/outputs.md).</summary>
    public static string ToJson(SimulationResult result)
    {
        var spec = result.Spec;
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("replicates", spec.Replicates);
            json.WriteNumber("rounds", spec.Rounds);
            json.WriteNumber("burn_in", spec.BurnIn);
            json.WriteNumber("seed", spec.Seed);
            json.WriteString("sampler", Specs.SpecLoader.NameOf(spec.Sampler));
            json.WriteString("backend", result.Backend);
            if (result.Device is { } device)
            {
                json.WriteString("device", device);
            }
            json.WriteNumber("diverged", result.Diverged);
            json.WriteStartArray("alignment");
            for (int i = 0; i < spec.ModelCount; i++)
            {
                json.WriteStartObject();
                json.WriteString("model", spec.Models[i].Name);
                WriteEstimate(json, "mean", result.Alignment[i]);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (result.Influence is { } influence && spec.Influence is { } request)
            {
                json.WriteStartObject("influence");
                json.WriteString("model", spec.Models[request.Model].Name);
                json.WriteString("absorb", request.AbsorbName);
                JsonNumbers.Write(json, "step", request.Step);
                json.WriteStartArray("effects");
                for (int j = 0; j < spec.ModelCount; j++)
                {
                    json.WriteStartObject();
                    json.WriteString("on", spec.Models[j].Name);
                    WriteEstimate(json, "estimate", influence[j]);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteStartArray("cross_reward");
            for (int i = 0; i < spec.ModelCount; i++)
            {
                for (int j = 0; j < spec.ModelCount; j++)
                {
                    json.WriteStartObject();
                    json.WriteString("reward", spec.Models[i].Name);
                    json.WriteString("model", spec.Models[j].Name);
                    WriteEstimate(json, "mean", result.CrossReward[i, j]);
                    json.WriteEndObject();
                }
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>An estimate's fields: its value under <paramref name="valueName"/>, se and ci95 (null where undefined).</summary>
    public static void WriteEstimate(Utf8JsonWriter json, string valueName, Estimate estimate)
    {
        JsonNumbers.Write(json, valueName, estimate.Mean);
        JsonNumbers.Write(json, "se", estimate.StandardError);
        json.WritePropertyName("ci95");
        json.WriteStartArray();
        JsonNumbers.WriteValue(json, estimate.Lower95);
        JsonNumbers.WriteValue(json, estimate.Upper95);
        json.WriteEndArray();
    }
}

/// <summary>JSON numbers that are never NaN or infinite: those become null.</summary>
public static class JsonNumbers
{
    /// <summary>A named number, null where it is not finite.</summary>
    public static void Write(Utf8JsonWriter json, string name, double value)
    {
        json.WritePropertyName(name);
        WriteValue(json, value);
    }

    /// <summary>A number, null where it is not finite.</summary>
    public static void WriteValue(Utf8JsonWriter json, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumberValue(value);
        }
        else
        {
            json.WriteNullValue();
        }
    }
}
