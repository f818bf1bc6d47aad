namespace Engine.Tests.Simulation;

/// <summary>The three vector lanes are generated from one template; they must not drift from it.</summary>
public class LaneTemplateTests
{
    private static readonly Dictionary<string, string> Selects = new()
    {
        ["128"] = "Sse41.IsSupported ? Sse41.BlendVariable(whenFalse.Value, whenTrue.Value, mask.Value) : Vector128.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value)",
        ["256"] = "Avx.IsSupported ? Avx.BlendVariable(whenFalse.Value, whenTrue.Value, mask.Value) : Vector256.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value)",
        ["512"] = "Vector512.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value)",
    };

    private static readonly Dictionary<string, string> Xor3s = new()
    {
        ["128"] = "Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(a, b, c, 0x96) : a ^ b ^ c",
        ["256"] = "Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(a, b, c, 0x96) : a ^ b ^ c",
        ["512"] = "Avx512F.IsSupported ? Avx512F.TernaryLogic(a, b, c, 0x96) : a ^ b ^ c",
    };

    private static readonly (string Bits, string Width, string Index, string Multiply, string Widen)[] Widths =
    [
        ("128", "2", "0UL, 1UL", "Sse2.IsSupported ? Sse2.Multiply(a.AsUInt32(), b.AsUInt32()) : (a & Low32) * (b & Low32)",
            "Vector128.WidenLower(Vector128.Create(values[0], values[1], 0u, 0u))"),
        ("256", "4", "0UL, 1UL, 2UL, 3UL", "Avx2.IsSupported ? Avx2.Multiply(a.AsUInt32(), b.AsUInt32()) : (a & Low32) * (b & Low32)",
            "Vector256.WidenLower(Vector128.Create(values[..4]).ToVector256Unsafe())"),
        ("512", "8", "0UL, 1UL, 2UL, 3UL, 4UL, 5UL, 6UL, 7UL", "Avx512F.IsSupported ? Avx512F.Multiply(a.AsUInt32(), b.AsUInt32()) : (a & Low32) * (b & Low32)",
            "Vector512.WidenLower(Vector256.Create(values[..8]).ToVector512Unsafe())"),
    ];

    /// <summary>generate.py's ziggurat_load: each lane's (width, ratio) pair by one 16-byte load, then unpacked.</summary>
    private static string ZigguratLoad(string bits)
    {
        static string Load(int j) => $"Vector128.Load(pairs + 2 * layer.GetElement({j}))";
        string pad = new(' ', 12);
        var (even, odd, unpack) = bits switch
        {
            "128" => (Load(0), Load(1), "Sse2"),
            "256" => ($"Vector256.Create({Load(0)}, {Load(2)})", $"Vector256.Create({Load(1)}, {Load(3)})", "Avx"),
            _ => ($"Vector512.Create(Vector256.Create({Load(0)}, {Load(2)}), Vector256.Create({Load(4)}, {Load(6)}))",
                  $"Vector512.Create(Vector256.Create({Load(1)}, {Load(3)}), Vector256.Create({Load(5)}, {Load(7)}))", "Avx512F"),
        };
        return string.Join("\n",
            $"{pad}if ({unpack}.IsSupported)",
            $"{pad}{{",
            $"{pad}    var even = {even};",
            $"{pad}    var odd = {odd};",
            $"{pad}    width = {unpack}.UnpackLow(even, odd);",
            $"{pad}    ratio = {unpack}.UnpackHigh(even, odd);",
            $"{pad}}}",
            $"{pad}else",
            $"{pad}{{",
            $"{pad}    (width, ratio) = ZigguratPairsByElement(pairs, layer);",
            $"{pad}}}");
    }

    [Fact]
    public void VectorLanesMatchTheirTemplate()
    {
        string folder = Path.Combine(Cli.ReadmeTests.RepositoryRoot(), "src", "Engine.Simulation", "Lanes");
        string template = File.ReadAllText(Path.Combine(folder, "VectorLane.template"));
        foreach (var (bits, width, index, multiply, widen) in Widths)
        {
            string gather = string.Join(", ", Enumerable.Range(0, int.Parse(width, System.Globalization.CultureInfo.InvariantCulture)).Select(j => $"flat[origin + offsets[{j}]]"));
            string expected = template.Replace("__ZLOAD__", ZigguratLoad(bits), StringComparison.Ordinal).Replace("__WIDEN__", widen, StringComparison.Ordinal).Replace("__SELECT__", Selects[bits], StringComparison.Ordinal).Replace("__XOR3__", Xor3s[bits], StringComparison.Ordinal).Replace("__GATHER__", gather, StringComparison.Ordinal).Replace("__B__", bits, StringComparison.Ordinal).Replace("__W__", width, StringComparison.Ordinal)
                .Replace("__INDEX__", index, StringComparison.Ordinal).Replace("__MUL__", multiply, StringComparison.Ordinal);
            string summary = "/// <summary>" + width + " replicates";
            int at = expected.IndexOf(summary, StringComparison.Ordinal);
            expected = expected[..at] + "// Generated from VectorLane.template by generate.py: edit the template, not this file.\n" + expected[at..];
            Assert.True(expected == File.ReadAllText(Path.Combine(folder, $"Vector{bits}Lane.cs")),
                $"Vector{bits}Lane.cs differs from VectorLane.template: edit the template and run src/Engine.Simulation/Lanes/generate.py");
        }
    }

    [Fact]
    public void PairLanesMatchTheirTemplate()
    {
        string folder = Path.Combine(Cli.ReadmeTests.RepositoryRoot(), "src", "Engine.Simulation", "Lanes");
        string template = File.ReadAllText(Path.Combine(folder, "VectorPairLane.template"));
        foreach (var (bits, half) in new[] { ("256", 4), ("512", 8) })
        {
            int width = 2 * half;
            string low = string.Join(", ", Enumerable.Range(0, half).Select(j => $"flat[origin + offsets[{j}]]"));
            string high = string.Join(", ", Enumerable.Range(half, half).Select(j => $"flat[origin + offsets[{j}]]"));
            string expected = template.Replace("__GATHER_LOW__", low, StringComparison.Ordinal).Replace("__GATHER_HIGH__", high, StringComparison.Ordinal)
                .Replace("__B__", bits, StringComparison.Ordinal).Replace("__W__", $"{width}", StringComparison.Ordinal).Replace("__H__", $"{half}", StringComparison.Ordinal);
            string summary = "/// <summary>\n/// " + width + " replicates";
            int at = expected.IndexOf(summary, StringComparison.Ordinal);
            expected = expected[..at] + "// Generated from VectorPairLane.template by generate.py: edit the template, not this file.\n" + expected[at..];
            Assert.True(expected == File.ReadAllText(Path.Combine(folder, $"Vector{bits}x2Lane.cs")),
                $"Vector{bits}x2Lane.cs differs from VectorPairLane.template: edit the template and run src/Engine.Simulation/Lanes/generate.py");
        }
    }
}
