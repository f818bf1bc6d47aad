using ILGPU;
using Engine.Simulation.Step;

namespace Engine.Kernels;

/// <summary>
/// A replicate's lane values in device memory, structure of arrays: element i of the replicate
/// at <c>start + i x stride</c>, the stride being the replicates of one launch, so neighbouring
/// threads read neighbouring addresses (coalesced).
/// </summary>
public readonly struct DeviceView<T>(ArrayView<T> data, long start, long stride) : ILaneView<DeviceView<T>, T> where T : unmanaged
{
    private readonly ArrayView<T> _data = data;
    private readonly long _start = start;
    private readonly long _stride = stride;

    /// <summary>Element <paramref name="index"/> of the replicate's values.</summary>
    public static T Load(DeviceView<T> view, int index) => view._data[view._start + index * view._stride];
    /// <summary>Writes element <paramref name="index"/> of the replicate's values.</summary>
    public static void Store(DeviceView<T> view, int index, T value) => view._data[view._start + index * view._stride] = value;
    /// <summary>The view starting at element <paramref name="offset"/>.</summary>
    public static DeviceView<T> Slice(DeviceView<T> view, int offset) => new(view._data, view._start + offset * view._stride, view._stride);
}

/// <summary>The run's model constants in device memory.</summary>
public readonly struct DeviceConstants(ArrayView<double> data) : IConstantView<DeviceConstants>
{
    private readonly ArrayView<double> _data = data;

    /// <summary>Entry <paramref name="index"/> of the constant table.</summary>
    public static double Read(DeviceConstants constants, int index) => constants._data[index];
}
