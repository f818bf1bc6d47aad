namespace Engine.Tests.Simulation;

/// <summary>The three vector lanes are generated from one template; they must not drift from it.</summary>
public class LaneTemplateTests
{
    private static readonly (string Bits, string Width, string Index, string Multiply)[] Widths =
    [
        ("128", "2", "0UL, 1UL", "Sse2.IsSupported ? Sse2.Multiply(a.AsUInt32(), b.AsUInt32()) : a * b"),
        ("256", "4", "0UL, 1UL, 2UL, 3UL", "Avx2.IsSupported ? Avx2.Multiply(a.AsUInt32(), b.AsUInt32()) : a * b"),
        ("512", "8", "0UL, 1UL, 2UL, 3UL, 4UL, 5UL, 6UL, 7UL", "Avx512F.IsSupported ? Avx512F.Multiply(a.AsUInt32(), b.AsUInt32()) : a * b"),
    ];

    [Fact]
    public void VectorLanesMatchTheirTemplate()
    {
        string folder = Path.Combine(Cli.ReadmeTests.RepositoryRoot(), "src", "Engine.Simulation", "Lanes");
        string template = File.ReadAllText(Path.Combine(folder, "VectorLane.template"));
        foreach (var (bits, width, index, multiply) in Widths)
        {
            string expected = template.Replace("__B__", bits, StringComparison.Ordinal).Replace("__W__", width, StringComparison.Ordinal)
                .Replace("__INDEX__", index, StringComparison.Ordinal).Replace("__MUL__", multiply, StringComparison.Ordinal);
            string summary = "/// <summary>" + width + " replicates";
            int at = expected.IndexOf(summary, StringComparison.Ordinal);
            expected = expected[..at] + "// Generated from VectorLane.template by generate.py: edit the template, not this file.\n" + expected[at..];
            Assert.True(expected == File.ReadAllText(Path.Combine(folder, $"Vector{bits}Lane.cs")),
                $"Vector{bits}Lane.cs differs from VectorLane.template: edit the template and run src/Engine.Simulation/Lanes/generate.py");
        }
    }
}
