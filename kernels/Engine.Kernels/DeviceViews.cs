using ILGPU;
using Engine.Core.Random;
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

/// <summary>The ziggurat's layers (<see cref="Ziggurat.Table"/>) copied into device memory.</summary>
public readonly struct DeviceZiggurat(ArrayView<double> table) : IZigguratTable<DeviceZiggurat>
{
    private readonly ArrayView<double> _table = table;

    /// <summary>Entry <paramref name="index"/> of the layers.</summary>
    public static double Read(DeviceZiggurat table, int index) => table._table[index];
}

/// <summary>A thread's random stream for <see cref="StatisticStep"/>: its replicate's Philox blocks, as the CPU lanes draw them.</summary>
public readonly struct DeviceUniformStream<T>(uint seed, uint key1, uint counter0, DeviceZiggurat ziggurat) : IUniformStream<DeviceUniformStream<T>, T> where T : unmanaged, IDeviceLane<T>
{
    private readonly DeviceZiggurat _ziggurat = ziggurat;
    private readonly uint _seed = seed;
    private readonly uint _key1 = key1;
    private readonly uint _counter0 = counter0;

    /// <summary>The block (key, counter) of the thread's replicate.</summary>
    public static (T U0, T U1) Uniforms(DeviceUniformStream<T> stream, uint counter1, uint counter2, uint counter3) =>
        T.Uniforms(stream._seed, stream._key1, stream._counter0, counter1, counter2, counter3);

    /// <summary>The block of the thread's replicate, word 2 completed by the thread's own low bits.</summary>
    public static (T U0, T U1) UniformsAt(DeviceUniformStream<T> stream, uint counter1, uint counter2High, T counter2Low, uint counter3) =>
        T.Uniforms(stream._seed, stream._key1, stream._counter0, counter1, Word2(counter2High, counter2Low), counter3);

    /// <summary>The normals of the thread's replicate.</summary>
    public static (T Z0, T Z1) Normals(DeviceUniformStream<T> stream, uint counter1, uint counter2, uint counter3) =>
        T.Normals(stream._ziggurat, stream._seed, stream._key1, stream._counter0, counter1, counter2, counter3);

    /// <summary>The normals of the thread's replicate, word 2 completed by the thread's own low bits.</summary>
    public static (T Z0, T Z1) NormalsAt(DeviceUniformStream<T> stream, uint counter1, uint counter2High, T counter2Low, uint counter3) =>
        T.Normals(stream._ziggurat, stream._seed, stream._key1, stream._counter0, counter1, Word2(counter2High, counter2Low), counter3);

    /// <summary>Counter word 2: the shared high bits and the thread's own low bits (an integer below 2^24, held as a number).</summary>
    private static uint Word2(uint counter2High, T counter2Low) => counter2High | (uint)T.ToDouble(counter2Low);

    /// <summary>A normal and a uniform from one block of the thread's replicate, word 2 completed by the thread's own low bits.</summary>
    public static (T Z, T U) NormalAndUniformAt(DeviceUniformStream<T> stream, uint counter1, uint counter2High, T counter2Low, uint counter3) =>
        T.NormalAndUniform(stream._ziggurat, stream._seed, stream._key1, stream._counter0, counter1, Word2(counter2High, counter2Low), counter3);
}
