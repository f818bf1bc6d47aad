using System.Runtime.CompilerServices;

namespace Engine.Simulation.Step;

/// <summary>
/// Where <see cref="ModelStep"/> reads and writes a replicate's lane values: a span of lanes on
/// the CPU (<see cref="LaneSpan{T}"/>), a strided view of device memory in the GPU kernels. The
/// access is static so that ILGPU, which compiles static abstract calls but not interface calls
/// on generic instances, can compile the same step.
/// </summary>
public interface ILaneView<TSelf, T> where TSelf : ILaneView<TSelf, T>, allows ref struct
{
    /// <summary>Element <paramref name="index"/>.</summary>
    static abstract T Load(TSelf view, int index);
    /// <summary>Writes element <paramref name="index"/>.</summary>
    static abstract void Store(TSelf view, int index, T value);
    /// <summary>The view that starts at element <paramref name="offset"/>.</summary>
    static abstract TSelf Slice(TSelf view, int offset);
}

/// <summary>The run's model constants (<see cref="ModelTable"/>) as the step reads them.</summary>
public interface IConstantView<TSelf> where TSelf : IConstantView<TSelf>, allows ref struct
{
    /// <summary>Entry <paramref name="index"/> of the constant table.</summary>
    static abstract double Read(TSelf constants, int index);
}

/// <summary>A span of lanes: the CPU's view.</summary>
public readonly ref struct LaneSpan<T>(Span<T> values) : ILaneView<LaneSpan<T>, T>
{
    private readonly Span<T> _values = values;

    /// <summary>Element <paramref name="index"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Load(LaneSpan<T> view, int index) => view._values[index];
    /// <summary>Writes element <paramref name="index"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(LaneSpan<T> view, int index, T value) => view._values[index] = value;
    /// <summary>The view starting at element <paramref name="offset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static LaneSpan<T> Slice(LaneSpan<T> view, int offset) => new(view._values[offset..]);

    /// <summary>The lanes the view covers.</summary>
    public Span<T> Values => _values;

    /// <summary>A span as a view.</summary>
    public static implicit operator LaneSpan<T>(Span<T> values) => new(values);
    /// <summary>An array as a view.</summary>
    public static implicit operator LaneSpan<T>(T[] values) => new(values);
}

/// <summary>The model constants in a span: the CPU's view.</summary>
public readonly ref struct ConstantSpan(ReadOnlySpan<double> values) : IConstantView<ConstantSpan>
{
    private readonly ReadOnlySpan<double> _values = values;

    /// <summary>Entry <paramref name="index"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Read(ConstantSpan constants, int index) => constants._values[index];
}

/// <summary>
/// Where <see cref="StatisticStep"/> takes its uniforms: the Philox block (key, counter) of each
/// lane's replicate, as two uniforms or two normals at the lane's resolution (docs/random-streams.md). Static, as
/// <see cref="ILaneView{TSelf, T}"/> is, so that ILGPU compiles the same sampler.
/// </summary>
public interface IUniformStream<TSelf, T> where TSelf : IUniformStream<TSelf, T>, allows ref struct
{
    /// <summary>The block with counter words 1-3 given (word 0 is each lane's replicate).</summary>
    static abstract (T U0, T U1) Uniforms(TSelf stream, uint counter1, uint counter2, uint counter3);

    /// <summary>The block whose word 2 is <paramref name="counter2High"/> | each lane's <paramref name="counter2Low"/> (an integer below 2^24).</summary>
    static abstract (T U0, T U1) UniformsAt(TSelf stream, uint counter1, uint counter2High, T counter2Low, uint counter3);

    /// <summary>The block with counter words 1-3 given, as two exact standard normals (<see cref="Core.Random.Ziggurat"/>).</summary>
    static abstract (T Z0, T Z1) Normals(TSelf stream, uint counter1, uint counter2, uint counter3);

    /// <summary>As <see cref="Normals"/>, word 2 = <paramref name="counter2High"/> | each lane's <paramref name="counter2Low"/>.</summary>
    static abstract (T Z0, T Z1) NormalsAt(TSelf stream, uint counter1, uint counter2High, T counter2Low, uint counter3);

    /// <summary>As <see cref="NormalsAt"/>, its normal Z0 only, with the uniform of the block's words 2 and 3 (<see cref="UniformsAt"/>' U1).</summary>
    static abstract (T Z, T U) NormalAndUniformAt(TSelf stream, uint counter1, uint counter2High, T counter2Low, uint counter3);
}

/// <summary>The CPU lanes' stream: lane i is replicate counter0 + i under the key.</summary>
public readonly ref struct LaneUniformStream<TLane>(ref readonly Core.Random.PhiloxKey key, uint counter0) : IUniformStream<LaneUniformStream<TLane>, TLane>
    where TLane : struct, Lanes.ILane<TLane>
{
    private readonly ref readonly Core.Random.PhiloxKey _key = ref key;
    private readonly uint _counter0 = counter0;

    /// <summary>The block of every lane's replicate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (TLane U0, TLane U1) Uniforms(LaneUniformStream<TLane> stream, uint counter1, uint counter2, uint counter3) =>
        TLane.Uniforms(in stream._key, stream._counter0, counter1, counter2, counter3);

    /// <summary>The block of every lane's replicate, word 2 per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (TLane U0, TLane U1) UniformsAt(LaneUniformStream<TLane> stream, uint counter1, uint counter2High, TLane counter2Low, uint counter3) =>
        TLane.UniformsWithWord2(in stream._key, stream._counter0, counter1, counter2High, counter2Low, counter3);

    /// <summary>The normals of every lane's replicate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (TLane Z0, TLane Z1) Normals(LaneUniformStream<TLane> stream, uint counter1, uint counter2, uint counter3) =>
        TLane.Normals(in stream._key, stream._counter0, counter1, counter2, counter3);

    /// <summary>The normals of every lane's replicate, word 2 per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (TLane Z0, TLane Z1) NormalsAt(LaneUniformStream<TLane> stream, uint counter1, uint counter2High, TLane counter2Low, uint counter3) =>
        TLane.NormalsWithWord2(in stream._key, stream._counter0, counter1, counter2High, counter2Low, counter3);

    /// <summary>A normal and a uniform from one block of every lane's replicate, word 2 per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (TLane Z, TLane U) NormalAndUniformAt(LaneUniformStream<TLane> stream, uint counter1, uint counter2High, TLane counter2Low, uint counter3) =>
        TLane.NormalAndUniformWithWord2(in stream._key, stream._counter0, counter1, counter2High, counter2Low, counter3);
}
