using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using Engine.Core.Specs;

namespace Engine.Gpu;

/// <summary>An opened device: the ILGPU context and accelerator, and the name results give it.</summary>
public sealed class OpenedDevice(Context context, Accelerator accelerator, string name, bool isCpuAccelerator) : IDisposable
{
    /// <summary>The ILGPU context.</summary>
    public Context Context { get; } = context;
    /// <summary>The accelerator the kernels run on.</summary>
    public Accelerator Accelerator { get; } = accelerator;
    /// <summary>The device as summary.json names it, e.g. "NVIDIA H200 (cuda 0)" or "ilgpu-cpu-accelerator".</summary>
    public string Name { get; } = name;
    /// <summary>Whether it is ILGPU's CPU accelerator.</summary>
    public bool IsCpuAccelerator { get; } = isCpuAccelerator;

    /// <summary>Releases the accelerator and the context.</summary>
    public void Dispose()
    {
        Accelerator.Dispose();
        Context.Dispose();
    }
}

/// <summary>
/// Device choice for --backend gpu: a CUDA device (--device auto or N) with NVIDIA's libdevice
/// for double-precision math, or ILGPU's CPU accelerator (--device cpu-accelerator: the same
/// kernels, one OS thread per GPU thread; slow, for tests). Only the accelerators named here are
/// looked for: ILGPU's default set would also take an OpenCL CPU runtime.
/// </summary>
public static class GpuDevices
{
    /// <summary>CUDA device 0.</summary>
    public const string Auto = "auto";
    /// <summary>ILGPU's CPU accelerator.</summary>
    public const string CpuAccelerator = "cpu-accelerator";
    /// <summary>The variable naming the CUDA toolkit.</summary>
    public const string CudaHomeVariable = "CUDA_HOME";
    /// <summary>Where the CUDA toolkit is looked for when CUDA_HOME is unset.</summary>
    public const string DefaultCudaHome = "/usr/local/cuda";

    /// <summary>Whether a CUDA device can be opened here (for --backend auto).</summary>
    public static bool CudaAvailable() => CudaDeviceCount() > 0;

    /// <summary>The CUDA devices ILGPU finds; 0 where the driver is missing (ILGPU then lists none, silently).</summary>
    public static int CudaDeviceCount() => CudaDriverLoads() ? CudaDeviceCountByIlgpu() : 0;

    /// <summary>
    /// Whether NVIDIA's driver library loads: without it there is no device, and answering so here
    /// spares every CPU run under --backend auto the ILGPU context's start (about 0.04 s of a 0.2 s process).
    /// </summary>
    private static bool CudaDriverLoads()
    {
        string[] names = OperatingSystem.IsWindows() ? ["nvcuda.dll"] : ["libcuda.so.1", "libcuda.so"];
        foreach (string name in names)
        {
            if (System.Runtime.InteropServices.NativeLibrary.TryLoad(name, out var handle))
            {
                System.Runtime.InteropServices.NativeLibrary.Free(handle);
                return true;
            }
        }
        return false;
    }

    // Out of line: ILGPU's assemblies load when this is compiled, which CudaDriverLoads spares CPU-only machines.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static int CudaDeviceCountByIlgpu()
    {
        try
        {
            using var context = Context.Create(builder => builder.Cuda());
            return context.GetCudaDevices().Count;
        }
        catch (Exception exception) when (exception is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or NotSupportedException)
        {
            return 0;
        }
    }

    /// <summary>Opens the device <paramref name="device"/> names; a missing device or libdevice is a user error naming the flag.</summary>
    public static OpenedDevice Open(string device)
    {
        if (device == CpuAccelerator)
        {
            var cpuContext = Context.Create(builder => builder.CPU(CPUDeviceKind.Default).EnableAlgorithms());
            return new OpenedDevice(cpuContext, cpuContext.CreateCPUAccelerator(0), "ilgpu-cpu-accelerator", true);
        }
        int index = 0;
        if (device != Auto && !(int.TryParse(device, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out index)))
        {
            throw SpecException.Invalid("--device", device, $"{Auto}, {CpuAccelerator} or a CUDA device index 0, 1, ...");
        }
        int found = CudaDeviceCount();
        if (found == 0)
        {
            throw SpecException.Invalid("--backend", "gpu", "a machine with a CUDA device (none was found: no NVIDIA driver or no device; --backend cpu runs on the processor, --device cpu-accelerator runs the GPU kernels on ILGPU's CPU accelerator)");
        }
        if (index >= found)
        {
            throw SpecException.Invalid("--device", device, $"a CUDA device index below {found} ({found} found)");
        }
        var (nvvm, libDevice) = FindLibDevice();
        // The combination measured on the lent H100 (docs/backends.md (the GPU section)): libdevice for the math, and
        // ILGPU.Algorithms for whatever libdevice does not cover.
        var context = Context.Create(builder => builder.LibDevice(nvvm, libDevice).Cuda().EnableAlgorithms());
        var devices = context.GetCudaDevices();
        var accelerator = devices[index].CreateAccelerator(context);
        return new OpenedDevice(context, accelerator, $"{accelerator.Name} (cuda {index})", false);
    }

    /// <summary>
    /// libnvvm and the libdevice bitcode of the CUDA toolkit at CUDA_HOME, else at /usr/local/cuda:
    /// double-precision exp, log, sin and cos are only fast and accurate through libdevice (without
    /// it ILGPU's software math is about 700x slower).
    /// </summary>
    public static (string Nvvm, string LibDevice) FindLibDevice()
    {
        string? home = Environment.GetEnvironmentVariable(CudaHomeVariable);
        string root = string.IsNullOrEmpty(home) ? DefaultCudaHome : home;
        string where = string.IsNullOrEmpty(home) ? $"{DefaultCudaHome} ({CudaHomeVariable} is unset)" : root;
        string nvvmDirectory = Path.Combine(root, "nvvm", "lib64");
        string libDeviceDirectory = Path.Combine(root, "nvvm", "libdevice");
        string? nvvm = Directory.Exists(nvvmDirectory) ? Directory.EnumerateFiles(nvvmDirectory, "libnvvm.so*").Order(StringComparer.Ordinal).FirstOrDefault() : null;
        string? libDevice = Directory.Exists(libDeviceDirectory) ? Directory.EnumerateFiles(libDeviceDirectory, "libdevice*.bc").Order(StringComparer.Ordinal).FirstOrDefault() : null;
        if (nvvm is null || libDevice is null)
        {
            throw SpecException.Invalid(CudaHomeVariable, where, "a CUDA toolkit with nvvm/lib64/libnvvm.so and nvvm/libdevice/libdevice*.bc (set CUDA_HOME to it)");
        }
        return (nvvm, libDevice);
    }
}
