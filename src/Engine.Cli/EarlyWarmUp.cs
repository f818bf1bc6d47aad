using Engine.Simulation;

namespace Engine.Cli;

/// <summary>
/// Starts compiling the cpu backend's loop (<see cref="SimulationRunner.WarmUp"/>) before the
/// command line is parsed, for the commands that run replicates. Building and parsing the command
/// line and reading the spec take about 0.06 s of one core at start; the loop's compilation, as long
/// again, would otherwise follow them. The arguments are only scanned here, for the few options
/// that choose the loop's code; the real parse still validates every one, and a value this scan
/// misreads costs only the time it meant to save.
/// </summary>
internal static class EarlyWarmUp
{
    private static readonly string[] ReplicateCommands = ["run", "sweep", "reproduce"];

    public static void Start(string[] args)
    {
        if (OptionsFor(args) is not { } options)
        {
            return;
        }
        var thread = new Thread(() =>
        {
            try
            {
                if (Engine.Gpu.AnyBackend.Resolve(options) == Backends.Cpu)
                {
                    SimulationRunner.WarmUp(options with { Backend = Backends.Cpu });
                }
            }
            catch (Exception)
            {
                // The real parse reports what is wrong with these options.
            }
        }) { IsBackground = true, Name = "loopsim warm-up" };
        thread.Start();
    }

    /// <summary>
    /// The options to warm the loop for, read off the arguments; null where no cpu run on more than
    /// one core is coming (another command, the gpu or reference backend, a device named, one thread).
    /// </summary>
    internal static RunOptions? OptionsFor(string[] args)
    {
        if (args.Length == 0 || Array.IndexOf(ReplicateCommands, args[0]) < 0)
        {
            return null;
        }
        var options = new RunOptions
        {
            Backend = Value(args, "--backend", "-b") ?? Backends.Auto,
            Simd = Value(args, "--simd", null) ?? SimdWidths.Auto,
            Precision = Value(args, "--precision", null) ?? "double",
            Device = Value(args, "--device", null) ?? "auto",
            Threads = int.TryParse(Value(args, "--threads", "-t"), out int threads) ? threads : Environment.ProcessorCount,
        };
        bool cpuOnCores = options.Device == "auto" && options.Backend is Backends.Auto or Backends.Cpu && options.Threads >= 2 && Environment.ProcessorCount >= 2;
        return cpuOnCores ? options : null;
    }

    /// <summary>The value of an option given as "--name value", "--name=value" or "--name:value"; the last one given.</summary>
    private static string? Value(string[] args, string name, string? alias)
    {
        string? value = null;
        for (int i = 1; i < args.Length; i++)
        {
            string arg = args[i];
            if ((arg == name || arg == alias) && i + 1 < args.Length)
            {
                value = args[++i];
            }
            else if (arg.Length > name.Length + 1 && arg.StartsWith(name, StringComparison.Ordinal) && arg[name.Length] is '=' or ':')
            {
                value = arg[(name.Length + 1)..];
            }
        }
        return value;
    }
}
