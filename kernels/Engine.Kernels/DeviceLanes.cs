using Engine.Core.Random;
using Engine.Simulation.Lanes;

namespace Engine.Kernels;

/// <summary>
/// The random numbers a device lane draws: a slot's Philox block as two uniforms, at the lane's
/// resolution, exactly as the CPU lanes of the same precision draw them.
/// </summary>
public interface IDeviceLane<T> : ILaneArithmetic<T> where T : unmanaged, IDeviceLane<T>
{
    /// <summary>The Philox4x32-10 block of (key, counter) as two uniforms at the lane's resolution (docs/random-streams.md).</summary>
    static abstract (T U0, T U1) Uniforms(uint key0, uint key1, uint counter0, uint counter1, uint counter2, uint counter3);
    /// <summary>The block (key, counter) as two exact standard normals at the lane's resolution (<see cref="Ziggurat"/>), the layers read from device memory.</summary>
    static abstract (T Z0, T Z1) Normals(DeviceZiggurat table, uint key0, uint key1, uint counter0, uint counter1, uint counter2, uint counter3);
    /// <summary>The block's normal 0 and the uniform of its words 2 and 3 (<see cref="Ziggurat.NormalAndUniform{TTable}"/>), at the lane's resolution.</summary>
    static abstract (T Z, T U) NormalAndUniform(DeviceZiggurat table, uint key0, uint key1, uint counter0, uint counter1, uint counter2, uint counter3);
    /// <summary>Whether a mask reads as true.</summary>
    static abstract bool IsTrue(T mask);
    /// <summary>The lane's number as a double (for the reductions).</summary>
    static abstract double ToDouble(T value);
}

/// <summary>
/// One replicate in a double on a GPU thread: the lane of the double-precision kernels.
/// <see cref="Math"/>'s functions compile to NVIDIA's libdevice on CUDA (ILGPU remaps them) and
/// run as themselves on ILGPU's CPU accelerator, where the kernels then compute what the scalar
/// reference does. Masks are 1 (true) and 0 (false).
/// </summary>
public readonly struct DeviceLane(double value) : IDeviceLane<DeviceLane>
{
    /// <summary>The replicate's number.</summary>
    public readonly double Value = value;

    /// <inheritdoc />
    public static int MinNormalExponent => -1022;
    /// <inheritdoc />
    public static DeviceLane AllTrue => new(1);
    /// <inheritdoc />
    public static DeviceLane Broadcast(double value) => new(value);
    /// <inheritdoc />
    public static DeviceLane operator +(DeviceLane a, DeviceLane b) => new(a.Value + b.Value);
    /// <inheritdoc />
    public static DeviceLane operator -(DeviceLane a, DeviceLane b) => new(a.Value - b.Value);
    /// <inheritdoc />
    public static DeviceLane operator *(DeviceLane a, DeviceLane b) => new(a.Value * b.Value);
    /// <inheritdoc />
    public static DeviceLane operator /(DeviceLane a, DeviceLane b) => new(a.Value / b.Value);
    /// <inheritdoc />
    public static DeviceLane Sqrt(DeviceLane a) => new(Math.Sqrt(a.Value));
    /// <inheritdoc />
    public static DeviceLane Exp(DeviceLane a) => new(Math.Exp(a.Value));
    /// <inheritdoc />
    public static DeviceLane Log(DeviceLane a) => new(Math.Log(a.Value));
    /// <inheritdoc />
    public static (DeviceLane Sin, DeviceLane Cos) SinCosTwoPi(DeviceLane u)
    {
        double angle = Lane.TwoPi * u.Value;
        return (new(Math.Sin(angle)), new(Math.Cos(angle)));
    }
    /// <inheritdoc />
    public static DeviceLane Max(DeviceLane a, DeviceLane b) => new(Math.Max(a.Value, b.Value));
    /// <inheritdoc />
    public static DeviceLane Abs(DeviceLane a) => new(Math.Abs(a.Value));
    /// <inheritdoc />
    public static DeviceLane Floor(DeviceLane a) => new(Math.Floor(a.Value));
    /// <inheritdoc />
    public static DeviceLane LessThan(DeviceLane a, DeviceLane b) => new(a.Value < b.Value ? 1 : 0);
    /// <inheritdoc />
    public static DeviceLane GreaterThan(DeviceLane a, DeviceLane b) => new(a.Value > b.Value ? 1 : 0);
    // x - x is 0 exactly for finite x and NaN for infinities and NaN.
    /// <inheritdoc />
    public static DeviceLane IsFinite(DeviceLane a) => new(a.Value - a.Value == 0 ? 1 : 0);
    /// <inheritdoc />
    public static DeviceLane And(DeviceLane a, DeviceLane b) => new(a.Value != 0 && b.Value != 0 ? 1 : 0);
    /// <inheritdoc />
    public static DeviceLane AndNot(DeviceLane a, DeviceLane notB) => new(a.Value != 0 && notB.Value == 0 ? 1 : 0);
    /// <inheritdoc />
    public static DeviceLane Select(DeviceLane mask, DeviceLane whenTrue, DeviceLane whenFalse) => mask.Value != 0 ? whenTrue : whenFalse;
    /// <inheritdoc />
    public static bool Any(DeviceLane mask) => mask.Value != 0;
    /// <inheritdoc />
    public static bool IsTrue(DeviceLane mask) => mask.Value != 0;
    /// <inheritdoc />
    public static double ToDouble(DeviceLane value) => value.Value;

    /// <inheritdoc />
    public static (DeviceLane Z0, DeviceLane Z1) Normals(DeviceZiggurat table, uint key0, uint key1, uint counter0, uint counter1, uint counter2, uint counter3)
    {
        var (z0, z1) = Ziggurat.NormalPair(table, key0, key1, counter0, counter1, counter2, counter3);
        return (new(z0), new(z1));
    }

    /// <inheritdoc />
    public static (DeviceLane Z, DeviceLane U) NormalAndUniform(DeviceZiggurat table, uint key0, uint key1, uint counter0, uint counter1, uint counter2, uint counter3)
    {
        var (z, u) = Ziggurat.NormalAndUniform(table, key0, key1, counter0, counter1, counter2, counter3);
        return (new(z), new(u));
    }

    /// <inheritdoc />
    public static (DeviceLane U0, DeviceLane U1) Uniforms(uint key0, uint key1, uint counter0, uint counter1, uint counter2, uint counter3)
    {
        var block = Philox4x32.Generate(key0, key1, counter0, counter1, counter2, counter3);
        return (new(ReplicateStream.UniformFromBits(block.X0, block.X1)), new(ReplicateStream.UniformFromBits(block.X2, block.X3)));
    }
}

/// <summary>
/// One replicate in a float on a GPU thread (--precision single): the stream of the CPU's float
/// lanes, each uniform the top 24 bits of the same Philox word, and float arithmetic throughout.
/// </summary>
public readonly struct DeviceSingleLane(float value) : IDeviceLane<DeviceSingleLane>
{
    /// <summary>The replicate's number.</summary>
    public readonly float Value = value;

    /// <inheritdoc />
    public static int MinNormalExponent => -126;
    /// <inheritdoc />
    public static DeviceSingleLane AllTrue => new(1);
    /// <inheritdoc />
    public static DeviceSingleLane Broadcast(double value) => new((float)value);
    /// <inheritdoc />
    public static DeviceSingleLane operator +(DeviceSingleLane a, DeviceSingleLane b) => new(a.Value + b.Value);
    /// <inheritdoc />
    public static DeviceSingleLane operator -(DeviceSingleLane a, DeviceSingleLane b) => new(a.Value - b.Value);
    /// <inheritdoc />
    public static DeviceSingleLane operator *(DeviceSingleLane a, DeviceSingleLane b) => new(a.Value * b.Value);
    /// <inheritdoc />
    public static DeviceSingleLane operator /(DeviceSingleLane a, DeviceSingleLane b) => new(a.Value / b.Value);
    /// <inheritdoc />
    public static DeviceSingleLane Sqrt(DeviceSingleLane a) => new(MathF.Sqrt(a.Value));
    /// <inheritdoc />
    public static DeviceSingleLane Exp(DeviceSingleLane a) => new(MathF.Exp(a.Value));
    /// <inheritdoc />
    public static DeviceSingleLane Log(DeviceSingleLane a) => new(MathF.Log(a.Value));
    /// <inheritdoc />
    public static (DeviceSingleLane Sin, DeviceSingleLane Cos) SinCosTwoPi(DeviceSingleLane u)
    {
        float angle = (float)Lane.TwoPi * u.Value;
        return (new(MathF.Sin(angle)), new(MathF.Cos(angle)));
    }
    /// <inheritdoc />
    public static DeviceSingleLane Max(DeviceSingleLane a, DeviceSingleLane b) => new(MathF.Max(a.Value, b.Value));
    /// <inheritdoc />
    public static DeviceSingleLane Abs(DeviceSingleLane a) => new(MathF.Abs(a.Value));
    /// <inheritdoc />
    public static DeviceSingleLane Floor(DeviceSingleLane a) => new(MathF.Floor(a.Value));
    /// <inheritdoc />
    public static DeviceSingleLane LessThan(DeviceSingleLane a, DeviceSingleLane b) => new(a.Value < b.Value ? 1 : 0);
    /// <inheritdoc />
    public static DeviceSingleLane GreaterThan(DeviceSingleLane a, DeviceSingleLane b) => new(a.Value > b.Value ? 1 : 0);
    /// <inheritdoc />
    public static DeviceSingleLane IsFinite(DeviceSingleLane a) => new(a.Value - a.Value == 0 ? 1 : 0);
    /// <inheritdoc />
    public static DeviceSingleLane And(DeviceSingleLane a, DeviceSingleLane b) => new(a.Value != 0 && b.Value != 0 ? 1 : 0);
    /// <inheritdoc />
    public static DeviceSingleLane AndNot(DeviceSingleLane a, DeviceSingleLane notB) => new(a.Value != 0 && notB.Value == 0 ? 1 : 0);
    /// <inheritdoc />
    public static DeviceSingleLane Select(DeviceSingleLane mask, DeviceSingleLane whenTrue, DeviceSingleLane whenFalse) => mask.Value != 0 ? whenTrue : whenFalse;
    /// <inheritdoc />
    public static bool Any(DeviceSingleLane mask) => mask.Value != 0;
    /// <inheritdoc />
    public static bool IsTrue(DeviceSingleLane mask) => mask.Value != 0;
    /// <inheritdoc />
    public static double ToDouble(DeviceSingleLane value) => value.Value;

    /// <inheritdoc />
    public static (DeviceSingleLane Z0, DeviceSingleLane Z1) Normals(DeviceZiggurat table, uint key0, uint key1, uint counter0, uint counter1, uint counter2, uint counter3)
    {
        var (z0, z1) = Ziggurat.NormalPairSingle(table, key0, key1, counter0, counter1, counter2, counter3);
        return (new(z0), new(z1));
    }

    /// <inheritdoc />
    public static (DeviceSingleLane Z, DeviceSingleLane U) NormalAndUniform(DeviceZiggurat table, uint key0, uint key1, uint counter0, uint counter1, uint counter2, uint counter3)
    {
        var (z, u) = Ziggurat.NormalAndUniformSingle(table, key0, key1, counter0, counter1, counter2, counter3);
        return (new(z), new(u));
    }

    /// <inheritdoc />
    public static (DeviceSingleLane U0, DeviceSingleLane U1) Uniforms(uint key0, uint key1, uint counter0, uint counter1, uint counter2, uint counter3)
    {
        var block = Philox4x32.Generate(key0, key1, counter0, counter1, counter2, counter3);
        const float scale = 1f / (1 << 24);
        return (new((int)(block.X0 >> 8) * scale), new((int)(block.X2 >> 8) * scale));
    }
}
