using System.Runtime.CompilerServices;
using Engine.Core.Random;

namespace Engine.Simulation.Lanes;

/// <summary>One replicate in a double: the reference backend.</summary>
public readonly struct ScalarLane(double value) : ILane<ScalarLane>
{
    /// <summary>The lanes' numbers.</summary>
    public readonly double Value = value;

    private static readonly double True = BitConverter.Int64BitsToDouble(-1);

    /// <inheritdoc />
    public static int Width => 1;
    /// <inheritdoc />
    public static string Name => "scalar";
    /// <inheritdoc />
    public static bool IsHardwareAccelerated => true;
    /// <inheritdoc />
    public static int MinNormalExponent => -1022;
    /// <inheritdoc />
    public static ScalarLane AllTrue => new(True);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane Broadcast(double value) => new(value);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane operator +(ScalarLane a, ScalarLane b) => new(a.Value + b.Value);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane operator -(ScalarLane a, ScalarLane b) => new(a.Value - b.Value);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane operator *(ScalarLane a, ScalarLane b) => new(a.Value * b.Value);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane operator /(ScalarLane a, ScalarLane b) => new(a.Value / b.Value);
    /// <inheritdoc />
    public static ScalarLane Sqrt(ScalarLane a) => new(Math.Sqrt(a.Value));
    /// <inheritdoc />
    public static ScalarLane Exp(ScalarLane a) => new(Math.Exp(a.Value));
    /// <inheritdoc />
    public static ScalarLane Log(ScalarLane a) => new(Math.Log(a.Value));

    /// <inheritdoc />
    public static (ScalarLane Sin, ScalarLane Cos) SinCosTwoPi(ScalarLane u)
    {
        var (sin, cos) = Math.SinCos(Lane.TwoPi * u.Value);
        return (new(sin), new(cos));
    }

    /// <inheritdoc />
    public static ScalarLane Round(ScalarLane a) => new(Math.Round(a.Value));
    /// <inheritdoc />
    public static ScalarLane MultiplyAdd(ScalarLane a, ScalarLane b, ScalarLane c) => new(Math.FusedMultiplyAdd(a.Value, b.Value, c.Value));

    /// <inheritdoc />
    public static (ScalarLane Mantissa, ScalarLane Exponent) SplitExponent(ScalarLane x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x.Value);
        double mantissa = BitConverter.Int64BitsToDouble((bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000);
        return (new(mantissa), new(((bits >> 52) & 0x7FF) - 1023));
    }

    /// <inheritdoc />
    public static ScalarLane ScaleByPowerOfTwo(ScalarLane x, ScalarLane k) =>
        new(x.Value * BitConverter.Int64BitsToDouble((long)(k.Value + 1023) << 52));

    /// <inheritdoc />
    public static ScalarLane Equal(ScalarLane a, ScalarLane b) => new(a.Value == b.Value ? True : 0);
    /// <inheritdoc />
    public static ScalarLane Or(ScalarLane a, ScalarLane b) => new(IsSet(a) || IsSet(b) ? True : 0);

    /// <inheritdoc />
    public static ScalarLane Max(ScalarLane a, ScalarLane b) => new(Math.Max(a.Value, b.Value));
    /// <inheritdoc />
    public static ScalarLane Abs(ScalarLane a) => new(Math.Abs(a.Value));
    /// <inheritdoc />
    public static ScalarLane Floor(ScalarLane a) => new(Math.Floor(a.Value));
    /// <inheritdoc />
    public static ScalarLane LessThan(ScalarLane a, ScalarLane b) => new(a.Value < b.Value ? True : 0);
    /// <inheritdoc />
    public static ScalarLane GreaterThan(ScalarLane a, ScalarLane b) => new(a.Value > b.Value ? True : 0);
    /// <inheritdoc />
    public static ScalarLane IsFinite(ScalarLane a) => new(double.IsFinite(a.Value) ? True : 0);
    /// <inheritdoc />
    public static ScalarLane And(ScalarLane a, ScalarLane b) => new(IsSet(a) && IsSet(b) ? True : 0);
    /// <inheritdoc />
    public static ScalarLane AndNot(ScalarLane a, ScalarLane notB) => new(IsSet(a) && !IsSet(notB) ? True : 0);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane Select(ScalarLane mask, ScalarLane whenTrue, ScalarLane whenFalse) => IsSet(mask) ? whenTrue : whenFalse;
    /// <inheritdoc />
    public static bool Any(ScalarLane mask) => IsSet(mask);
    /// <inheritdoc />
    public static double Element(ScalarLane value, int lane) => value.Value;
    /// <inheritdoc />
    public static int MaskBits(ScalarLane mask) => IsSet(mask) ? 1 : 0;
    /// <inheritdoc />
    public static double Read(ReadOnlySpan<ScalarLane> values, int index, int lane) => values[index].Value;
    /// <inheritdoc />
    public static void Write(Span<ScalarLane> values, int index, int lane, double value) => values[index] = new(value);
    /// <inheritdoc />
    public static ScalarLane Gather(ReadOnlySpan<ScalarLane> values, int index, ReadOnlySpan<int> offsets) => values[index + offsets[0]];
    /// <inheritdoc />
    public static ScalarLane FromElements(ReadOnlySpan<double> values) => new(values[0]);

    /// <inheritdoc />
    public static (ScalarLane U0, ScalarLane U1) UniformsWithWord2(in PhiloxKey key, uint counter0, uint counter1, uint counter2High, ScalarLane counter2Low, uint counter3) =>
        Uniforms(in key, counter0, counter1, counter2High | (uint)counter2Low.Value, counter3);

    /// <inheritdoc />
    public static (ScalarLane U0, ScalarLane U1) UniformsPerLane(in PhiloxKey key, ReadOnlySpan<uint> counter0, uint counter1, ReadOnlySpan<uint> counter2, uint counter3) =>
        Uniforms(in key, counter0[0], counter1, counter2[0], counter3);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (ScalarLane Z0, ScalarLane Z1) Normals(in PhiloxKey key, uint counter0, uint counter1, uint counter2, uint counter3)
    {
        var (z0, z1) = Ziggurat.NormalPair(key.Key0, key.Key1, counter0, counter1, counter2, counter3);
        return (new(z0), new(z1));
    }

    /// <inheritdoc />
    public static (ScalarLane Z0, ScalarLane Z1) NormalsWithWord2(in PhiloxKey key, uint counter0, uint counter1, uint counter2High, ScalarLane counter2Low, uint counter3) =>
        Normals(in key, counter0, counter1, counter2High | (uint)counter2Low.Value, counter3);

    /// <inheritdoc />
    public static (ScalarLane Z, ScalarLane U) NormalAndUniformWithWord2(in PhiloxKey key, uint counter0, uint counter1, uint counter2High, ScalarLane counter2Low, uint counter3)
    {
        var (z, u) = Ziggurat.NormalAndUniform(new Ziggurat.HostTable(), key.Key0, key.Key1, counter0, counter1, counter2High | (uint)counter2Low.Value, counter3);
        return (new(z), new(u));
    }

    /// <inheritdoc />
    public static (ScalarLane Z0, ScalarLane Z1) NormalsPerLane(in PhiloxKey key, ReadOnlySpan<uint> counter0, uint counter1, ReadOnlySpan<uint> counter2, uint counter3) =>
        Normals(in key, counter0[0], counter1, counter2[0], counter3);

    private static bool IsSet(ScalarLane mask) => BitConverter.DoubleToInt64Bits(mask.Value) != 0;

    /// <inheritdoc />
    public static (ScalarLane U0, ScalarLane U1) Uniforms(in PhiloxKey key, uint counter0, uint counter1, uint counter2, uint counter3)
    {
        var block = Philox4x32.Generate(key.Key0, key.Key1, counter0, counter1, counter2, counter3);
        return (new(ReplicateStream.UniformFromBits(block.X0, block.X1)), new(ReplicateStream.UniformFromBits(block.X2, block.X3)));
    }
}
