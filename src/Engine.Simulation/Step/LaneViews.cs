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
