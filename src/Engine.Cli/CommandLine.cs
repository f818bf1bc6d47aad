using System.CommandLine;
using System.CommandLine.Help;
using Engine.Core.Random;
using Engine.Core.Specs;
using Engine.Simulation;

namespace Engine.Cli;

/// <summary>
/// Exit codes and the one-line error contract shared by every command: 0 done, 2 a user's
/// mistake (a spec, a flag, a file; one line on stderr naming it, nothing written), 1 an internal
/// error (a bug: its message and stack trace on stderr).
/// </summary>
internal static class CommandLine
{
    public const int Success = 0;
    public const int InternalError = 1;
    public const int UsageError = 2;

    public static int Invoke(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not HelpAction)
        {
            // One line per mistake, no help dump: the user sees what to fix.
            Console.Error.WriteLine($"loopsim: {parsed.Errors[0].Message} (see loopsim {CommandPath(parsed)}--help)");
            return UsageError;
        }
        return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            names.Insert(0, result.Command.Name);
        }
        return names.Count == 0 ? "" : string.Join(' ', names) + " ";
    }

    /// <summary>Runs a command body, turning user mistakes into one line on stderr and exit code 2.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (SpecException e)
        {
            Console.Error.WriteLine($"loopsim: error: {e.Message}");
            return UsageError;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Console.Error.WriteLine($"loopsim: internal error (please report it, with the spec and command): {e}");
            return InternalError;
        }
    }

    public static Option<bool> QuietOption() => new("--quiet", "-q") { Description = "Print no tables and no progress (errors and warnings still go to stderr; files are still written)." };

    public static Option<bool> JsonOption() => new("--json") { Description = "Print the result as JSON on stdout and nothing else there (no progress either); files are still written." };

    public static Option<long?> ReplicatesOption() => new("--replicates", "-r") { Description = "Replicates to run (overrides the spec); at least 2." };

    public static Option<long?> SeedOption() => new("--seed", "-s") { Description = "Random seed, 0 to 4294967295 (overrides the spec)." };

    public static Option<int> ThreadsOption() => new("--threads", "-t")
    {
        Description = "Worker threads (default: all cores). Results are identical for every value.",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    public static Option<string> BackendOption() => new("--backend", "-b")
    {
        Description = "Simulation backend: auto (the GPU when a CUDA device is found, else cpu), cpu (replicates in SIMD lanes on all cores), gpu (ILGPU kernels, one replicate per GPU thread; needs an NVIDIA driver and the CUDA toolkit's libdevice at CUDA_HOME or /usr/local/cuda) or reference (scalar double, the checked reference).",
        DefaultValueFactory = _ => Engine.Simulation.Backends.Auto,
    };

    public static Option<string> DeviceOption() => new("--device")
    {
        Description = "Device of the gpu backend: auto (CUDA device 0), a CUDA device index 0, 1, ..., or cpu-accelerator (the same kernels on ILGPU's CPU accelerator: slow, for tests). Naming one implies --backend gpu under auto.",
        DefaultValueFactory = _ => Engine.Gpu.GpuDevices.Auto,
    };

    /// <summary>The run options of the parsed flags, with --backend auto resolved to the backend that will run.</summary>
    public static RunOptions Options(int threads, string backend, string simd, string precision, string device)
    {
        var options = new RunOptions { Threads = threads, Backend = backend, Simd = simd, Precision = precision, Device = device };
        return options with { Backend = Engine.Gpu.AnyBackend.Resolve(options) };
    }

    public static Option<string> SimdOption() => new("--simd")
    {
        Description = "SIMD width of the cpu backend: auto (widest accelerated, in the measured order 512x2, 512, 256x2, 256, 128), or one of 512x2, 512, 256x2, 256, 128, scalar. The environment variable LOOPSIM_SIMD does the same. With --precision single: auto (256x2: 16 float lanes in two registers), 256x2 or 256.",
        DefaultValueFactory = _ => Engine.Simulation.SimdWidths.Auto,
    };

    public static Option<string> PrecisionOption() => new("--precision")
    {
        Description = "double (default) or single: float lanes of the cpu backend, 1.3-1.55x faster than double on 2 AVX2 cores (per-replicate results within 7e-6 of double for 99% of replicates; see bench/RESULTS.md), or float threads of the gpu backend.",
        DefaultValueFactory = _ => "double",
    };

    public static Option<string?> SamplerOption() => new("--sampler")
    {
        Description = "How each refit's training set is drawn (overrides the spec's sampler): moments (default; each source's count, sample mean and scatter drawn exactly from their laws, so uncurated sources and K = inf cost nearly the same for every n; models with n < 32 still draw per sample, which is cheaper there) or samples (every sample drawn one by one: the literal loop the moments sampler is checked against). Both draw from the same law; their numbers differ.",
    };

    /// <summary>The sampler a --sampler value names, or null when the flag is absent.</summary>
    public static Sampler? SamplerOverride(string? name) => name is null ? null
        : SpecLoader.SamplerNamed(name) ?? throw SpecException.Invalid("--sampler", name, "one of " + string.Join(", ", SpecLoader.SamplerNames));

    public static SimulationSpec ApplyOverrides(SimulationSpec spec, long? replicates, long? seed, string? sampler = null)
    {
        if (SamplerOverride(sampler) is { } chosen)
        {
            spec = spec with { Sampler = chosen };
        }
        if (replicates is { } r)
        {
            spec = spec with { Replicates = r is >= 2 and <= ReplicateStream.MaxReplicates ? r : throw SpecException.Invalid("--replicates", r, ReplicateStream.ReplicatesAllowed) };
        }
        if (seed is { } s)
        {
            spec = spec with { Seed = s is >= 0 and <= uint.MaxValue ? (uint)s : throw SpecException.Invalid("--seed", s, "an integer from 0 to 4294967295") };
        }
        return spec;
    }
}
