using Engine.Core.Random;

namespace Engine.Simulation.Lanes;

/// <summary>
/// The arithmetic the model is written against, once (<see cref="Step.ModelStep"/>): what a lane of
/// replicates can compute, with no memory access. The CPU lanes (<see cref="ILane{T}"/>) and the
/// GPU kernels' one-replicate-per-thread lanes (kernels/Engine.Kernels) implement it with static
/// abstract members, so the JIT and ILGPU specialise the step per lane type: no virtual or
/// delegate call per sample, and no copy of the model's arithmetic per backend.
/// <para>
/// Masks are lanes that read as true or false through <see cref="Select"/>, <see cref="And"/>
/// and <see cref="Any"/>. Where lanes disagree the step computes both sides and selects, never
/// branches. Arithmetic is plain multiply and add (no fused multiply-add) so every lane type
/// rounds as the scalar reference does; only log, sin, cos and exp may differ from
/// <see cref="Math"/> in the last bit.
/// </para>
/// </summary>
public interface ILaneArithmetic<T> where T : struct, ILaneArithmetic<T>
{
    /// <summary>The binary exponent of the smallest normal number of the lane's type: -1022 in double, -126 in float.</summary>
    static abstract int MinNormalExponent { get; }
    /// <summary>The number in every lane.</summary>
    static abstract T Broadcast(double value);
    /// <summary>Lane-wise sum.</summary>
    static abstract T operator +(T a, T b);
    /// <summary>Lane-wise difference.</summary>
    static abstract T operator -(T a, T b);
    /// <summary>Lane-wise product.</summary>
    static abstract T operator *(T a, T b);
    /// <summary>Lane-wise quotient.</summary>
    static abstract T operator /(T a, T b);
    /// <summary>Lane-wise square root.</summary>
    static abstract T Sqrt(T a);
    /// <summary>Lane-wise exponential.</summary>
    static abstract T Exp(T a);
    /// <summary>Lane-wise natural logarithm.</summary>
    static abstract T Log(T a);
    /// <summary>(sin 2 pi u, cos 2 pi u).</summary>
    static abstract (T Sin, T Cos) SinCosTwoPi(T u);
    /// <summary>Lane-wise maximum.</summary>
    static abstract T Max(T a, T b);
    /// <summary>Lane-wise absolute value.</summary>
    static abstract T Abs(T a);
    /// <summary>Lane-wise floor (the integer part of a count's half, in the binomial sampler).</summary>
    static abstract T Floor(T a);

    /// <summary>Mask of the lanes where a &lt; b.</summary>
    static abstract T LessThan(T a, T b);
    /// <summary>Mask of the lanes where a &gt; b.</summary>
    static abstract T GreaterThan(T a, T b);
    /// <summary>Mask of the lanes holding a finite number.</summary>
    static abstract T IsFinite(T a);
    /// <summary>Masks' conjunction.</summary>
    static abstract T And(T a, T b);
    /// <summary>a and not b, of masks.</summary>
    static abstract T AndNot(T a, T notB);
    /// <summary>whenTrue where the mask is true, else whenFalse.</summary>
    static abstract T Select(T mask, T whenTrue, T whenFalse);
    /// <summary>Whether any lane of the mask is true.</summary>
    static abstract bool Any(T mask);
    /// <summary>The mask true in every lane.</summary>
    static abstract T AllTrue { get; }
}

/// <summary>
/// One lane per replicate on the CPU: a scalar double (<see cref="ScalarLane"/>, the reference
/// backend) or 2, 4, 8 or 16 replicates in SIMD registers (<see cref="Vector128Lane"/>,
/// <see cref="Vector256Lane"/>, <see cref="Vector512Lane"/>, ...). Beyond the model's
/// arithmetic it has what only the CPU loop needs: the lane layout in memory, the vector
/// polynomials' building blocks and the Philox blocks of several lanes at once.
/// </summary>
public interface ILane<T> : ILaneArithmetic<T> where T : struct, ILane<T>
{
    /// <summary>Replicates per lane value.</summary>
    static abstract int Width { get; }
    /// <summary>The width's name.</summary>
    static abstract string Name { get; }
    /// <summary>Whether the processor runs the lane's registers natively.</summary>
    static abstract bool IsHardwareAccelerated { get; }

    /// <summary>Lane-wise round to nearest, ties to even.</summary>
    static abstract T Round(T a);
    /// <summary>x = mantissa x 2^exponent with the mantissa in [1, 2), for positive normal x.</summary>
    static abstract (T Mantissa, T Exponent) SplitExponent(T x);
    /// <summary>x x 2^k for integer-valued k within the exponent range of the lane's numbers.</summary>
    static abstract T ScaleByPowerOfTwo(T x, T k);
    /// <summary>a x b + c, fused where the processor can (used only inside <see cref="LaneMath"/>'s polynomials).</summary>
    static abstract T MultiplyAdd(T a, T b, T c);

    /// <summary>Mask of the lanes where a = b.</summary>
    static abstract T Equal(T a, T b);
    /// <summary>Masks' disjunction.</summary>
    static abstract T Or(T a, T b);

    /// <summary>Lane <paramref name="lane"/> as a double.</summary>
    static abstract double Element(T value, int lane);
    /// <summary>Bit i set where lane i of the mask is true.</summary>
    static abstract int MaskBits(T mask);
    /// <summary>Lane <paramref name="lane"/> of values[index], read through memory (no register shuffles).</summary>
    static abstract double Read(ReadOnlySpan<T> values, int index, int lane);
    /// <summary>Writes lane <paramref name="lane"/> of values[index] through memory.</summary>
    static abstract void Write(Span<T> values, int index, int lane, double value);
    /// <summary>
    /// Lane j from element <c>index x Width + offsets[j]</c> of the values seen as one flat array of
    /// numbers (lane j of values[index] when offsets[j] = j): packs lanes of different replicates and
    /// slots into one value, loading each straight into the register.
    /// </summary>
    static abstract T Gather(ReadOnlySpan<T> values, int index, ReadOnlySpan<int> offsets);
    /// <summary>A lane value from <c>Width</c> doubles.</summary>
    static abstract T FromElements(ReadOnlySpan<double> values);
    /// <summary>As <see cref="Uniforms"/>, with each lane's own counter0 and counter2 (lanes from different replicates and slots).</summary>
    static abstract (T U0, T U1) UniformsPerLane(in PhiloxKey key, ReadOnlySpan<uint> counter0, uint counter1, ReadOnlySpan<uint> counter2, uint counter3);
    /// <summary>As <see cref="Uniforms"/>, with counter word 2 = <paramref name="counter2High"/> | each lane's <paramref name="counter2Low"/> (an integer below 2^24, held as a number).</summary>
    static abstract (T U0, T U1) UniformsWithWord2(in PhiloxKey key, uint counter0, uint counter1, uint counter2High, T counter2Low, uint counter3);

    /// <summary>
    /// Philox4x32-10 block (key, counter) for each lane, lane i using counter0 + i, turned into
    /// two 53-bit uniforms in [0, 1) exactly as <see cref="Engine.Core.Random.ReplicateStream"/> does.
    /// </summary>
    static abstract (T U0, T U1) Uniforms(in PhiloxKey key, uint counter0, uint counter1, uint counter2, uint counter3);

    /// <summary>
    /// The block (key, counter) of each lane, lane i using counter0 + i, as two exact standard
    /// normals by <see cref="Ziggurat"/>: the fast path in the registers (two gathers, a multiply
    /// and a compare), and the lanes that leave it finished one by one by <see cref="Ziggurat.Slow"/>
    /// on their own counters, so every width draws what the scalar reference draws.
    /// </summary>
    static abstract (T Z0, T Z1) Normals(in PhiloxKey key, uint counter0, uint counter1, uint counter2, uint counter3);
    /// <summary>As <see cref="Normals"/>, with each lane's own counter0 and counter2.</summary>
    static abstract (T Z0, T Z1) NormalsPerLane(in PhiloxKey key, ReadOnlySpan<uint> counter0, uint counter1, ReadOnlySpan<uint> counter2, uint counter3);
    /// <summary>As <see cref="Normals"/>, with counter word 2 = <paramref name="counter2High"/> | each lane's <paramref name="counter2Low"/>.</summary>
    static abstract (T Z0, T Z1) NormalsWithWord2(in PhiloxKey key, uint counter0, uint counter1, uint counter2High, T counter2Low, uint counter3);
    /// <summary>
    /// As <see cref="NormalsWithWord2"/>, but only its normal Z0 (words 0 and 1), with the uniform of words 2
    /// and 3 beside it (<see cref="Uniforms"/>' U1): one block per attempt of a rejection sampler.
    /// </summary>
    static abstract (T Z, T U) NormalAndUniformWithWord2(in PhiloxKey key, uint counter0, uint counter1, uint counter2High, T counter2Low, uint counter3);
}

/// <summary>Helpers written once over <see cref="ILaneArithmetic{T}"/>.</summary>
public static class Lane
{
    /// <summary>2 pi.</summary>
    public const double TwoPi = 2.0 * Math.PI;

    /// <summary>
    /// Exact Box-Muller: sqrt(-2 ln(1 - u1)) (cos 2 pi u2, sin 2 pi u2). The engine's normals were
    /// drawn this way until the ziggurat (<see cref="ILane{T}.Normals"/>) replaced it; it stays as
    /// the baseline the generator benchmarks measure the ziggurat against.
    /// </summary>
    public static (T Z0, T Z1) BoxMuller<T>(T u1, T u2) where T : struct, ILaneArithmetic<T>
    {
        var radius = T.Sqrt(T.Broadcast(-2.0) * T.Log(T.Broadcast(1.0) - u1));
        var (sin, cos) = T.SinCosTwoPi(u2);
        return (radius * cos, radius * sin);
    }
}
