using System.Text;
using System.Text.Json;
using Engine.Core.Results;

namespace Engine.Theory;

/// <summary>theory.json (docs/outputs.md); no NaN: a loop with no fixed point gets converged false and a message.</summary>
public static class TheoryWriter
{
    /// <summary>theory.json of a result (docs/outputs.md).</summary>
    public static string ToJson(TheoryResult result)
    {
        var spec = result.Spec;
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteBoolean("converged", result.Converged);
            json.WriteNumber("iterations", result.FixedPoint.Iterations);
            JsonNumbers.Write(json, "residual", result.FixedPoint.Residual);
            if (!result.Converged)
            {
                json.WriteString("message", result.FixedPoint.Message);
                json.WriteEndObject();
            }
            else
            {
                JsonNumbers.Write(json, "spectral_radius", result.SpectralRadius);
                json.WriteBoolean("stable", result.Stable);
                json.WriteStartArray("eigenvalues");
                foreach (var value in result.Eigenvalues.OrderByDescending(v => v.Magnitude))
                {
                    json.WriteStartArray();
                    JsonNumbers.WriteValue(json, value.Real);
                    JsonNumbers.WriteValue(json, value.Imaginary);
                    json.WriteEndArray();
                }
                json.WriteEndArray();
                json.WriteStartArray("models");
                int d = spec.Dimension;
                foreach (var model in result.Models)
                {
                    json.WriteStartObject();
                    json.WriteString("name", model.Name);
                    json.WriteStartArray("mean");
                    foreach (double v in model.Mean)
                    {
                        JsonNumbers.WriteValue(json, v);
                    }
                    json.WriteEndArray();
                    json.WriteStartArray("cov");
                    for (int r = 0; r < d; r++)
                    {
                        json.WriteStartArray();
                        for (int c = 0; c < d; c++)
                        {
                            JsonNumbers.WriteValue(json, model.Cov[r * d + c]);
                        }
                        json.WriteEndArray();
                    }
                    json.WriteEndArray();
                    JsonNumbers.Write(json, "alignment", model.Alignment);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteStartArray("influence");
                foreach (var entry in result.Influence)
                {
                    json.WriteStartObject();
                    json.WriteString("curated", spec.Models[entry.Curated].Name);
                    json.WriteString("on", spec.Models[entry.On].Name);
                    JsonNumbers.Write(json, "total", entry.Total);
                    if (entry.Isolated is { } isolated)
                    {
                        JsonNumbers.Write(json, "isolated", isolated);
                    }
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
