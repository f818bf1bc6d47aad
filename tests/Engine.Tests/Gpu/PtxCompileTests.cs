using System.Reflection;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using Engine.Core.Statistics;
using Engine.Kernels;

namespace Engine.Tests.Gpu;

/// <summary>
/// The kernels compile to PTX for the lent machines' Hopper GPUs (SM_90), here, with no GPU: ILGPU's
/// PTX backend runs on any machine, so a construct that the CPU accelerator accepts but the CUDA
/// code generator does not fails in CI, not first on a lent GPU. (Without libnvvm the math
/// functions compile to ILGPU.Algorithms' PTX; with it, on the GPU, to libdevice. PTX ISA 8.8 is
/// what the lent H100's driver 580 took, docs/backends.md (the GPU section).)
/// </summary>
public class PtxCompileTests
{
    public static TheoryData<string> Kernels => new() { "Run<DeviceLane>", "Run<DeviceSingleLane>", "BlockMoments<DeviceLane>", "BlockMoments<DeviceSingleLane>", "MergeBlocks" };

    [Theory]
    [MemberData(nameof(Kernels))]
    public void KernelCompilesToPtxForHopper(string kernel)
    {
        string ptx = ImplicitlyGroupedPtx(kernel);
        // ILGPU targets the lowest architecture with the device's capabilities (sm_80 for an SM_90 device); the driver compiles it for the card.
        Assert.Contains(".target sm_80", ptx, StringComparison.Ordinal);
        Assert.DoesNotContain("NotSupported", ptx, StringComparison.Ordinal);
        Assert.Contains(".entry", ptx, StringComparison.Ordinal);
    }

    [Fact]
    public void GroupedKernelCarriesItsRegisterBound()
    {
        // LOOPSIM_GPU_GROUPS_PER_SM: the bound reaches the PTX as .maxntid and .minnctapersm, from which ptxas caps the registers.
        using var context = Context.Create(builder => builder.CPU().EnableAlgorithms());
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_88, null!);
        var method = typeof(ReplicateKernel).GetMethod(nameof(ReplicateKernel.RunGrouped))!.MakeGenericMethod(typeof(DeviceLane));
        var specialization = new KernelSpecialization(Engine.Gpu.GpuRunner.GroupThreads, 4);
        var compiled = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(method), specialization);
        Assert.Contains(".maxntid 128", compiled.PTXAssembly, StringComparison.Ordinal);
        Assert.Contains(".minnctapersm 4", compiled.PTXAssembly, StringComparison.Ordinal);
    }

    /// <summary>
    /// The simulation kernels call no PTX function of ours, only ILGPU's own math helpers: a method of
    /// the step marked NoInlining became a PTX function (with a struct parameter, called with
    /// call.uni) that the H200's driver refused to compile, "a PTX JIT compilation failed", while
    /// every test here passed (bench/RESULTS.md, issue 9 part 5).
    /// </summary>
    [Theory]
    [InlineData("Run<DeviceLane>")]
    [InlineData("Run<DeviceSingleLane>")]
    public void SimulationKernelCallsOnlyIlgpuFunctions(string kernel)
    {
        string ptx = ImplicitlyGroupedPtx(kernel);
        var ilgpuMethods = new[] { typeof(Context).Assembly, typeof(XMath).Assembly }
            .SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(method => method.Name)
            .ToHashSet(StringComparer.Ordinal);
        var functions = System.Text.RegularExpressions.Regex.Matches(ptx, @"\.func (?:\([^)]*\) )?(\w+?)_\d+\(")
            .Select(match => match.Groups[1].Value)
            .Distinct()
            .ToArray();
        Assert.All(functions, name => Assert.True(ilgpuMethods.Contains(name), $"the kernel calls {name} as a PTX function: mark it for inlining (not NoInlining)"));
    }

    /// <summary>The kernel's PTX for an SM_90 device, grouped by ILGPU.</summary>
    private static string ImplicitlyGroupedPtx(string kernel)
    {
        using var context = Context.Create(builder => builder.CPU().EnableAlgorithms());
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_88, null!);
        return ((PTXCompiledKernel)backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(Method(kernel)), default)).PTXAssembly;
    }

    private static MethodInfo Method(string kernel) => kernel switch
    {
        "Run<DeviceLane>" => typeof(ReplicateKernel).GetMethod(nameof(ReplicateKernel.Run))!.MakeGenericMethod(typeof(DeviceLane)),
        "Run<DeviceSingleLane>" => typeof(ReplicateKernel).GetMethod(nameof(ReplicateKernel.Run))!.MakeGenericMethod(typeof(DeviceSingleLane)),
        "BlockMoments<DeviceLane>" => typeof(ReductionKernels).GetMethod(nameof(ReductionKernels.BlockMoments))!.MakeGenericMethod(typeof(DeviceLane)),
        "BlockMoments<DeviceSingleLane>" => typeof(ReductionKernels).GetMethod(nameof(ReductionKernels.BlockMoments))!.MakeGenericMethod(typeof(DeviceSingleLane)),
        _ => typeof(ReductionKernels).GetMethod(nameof(ReductionKernels.MergeBlocks))!,
    };
}
