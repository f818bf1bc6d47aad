using System.Diagnostics;

namespace Engine.Tests.Support;

/// <summary>Runs the real loopsim program (built next to the tests) as a user would, in its own process.</summary>
internal static class Loopsim
{
    public sealed record Outcome(int ExitCode, string StandardOutput, string StandardError);

    public static Outcome Run(params string[] arguments) => RunWith(new Dictionary<string, string>(), arguments);

    /// <summary>As <see cref="Run"/>, with these environment variables set for the program.</summary>
    public static Outcome RunWith(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        RunProgram("dotnet", null, environment, [Path.Combine(AppContext.BaseDirectory, "loopsim.dll"), .. arguments]);

    /// <summary>Any program, in <paramref name="directory"/> (or the current one), with these environment variables; its exit code and both streams.</summary>
    public static Outcome RunProgram(string program, string? directory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (directory is not null)
        {
            start.WorkingDirectory = directory;
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new Outcome(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Writes a spec into a new temporary folder; returns its path and the folder.</summary>
    public static string WriteSpec(string text, out string folder, string name = "spec.toml")
    {
        folder = TemporaryFolder();
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>`loopsim run` of a good spec with these flags and environment: exit 2, one line naming the mistake, no stack trace, nothing written.</summary>
    public static void AssertFlagError(IReadOnlyDictionary<string, string> environment, string expected, params string[] flags)
    {
        string specPath = WriteSpec(SpecText.Pair, out string folder, "good.toml");
        string output = Path.Combine(folder, "out");
        var outcome = RunWith(environment, ["run", specPath, .. flags, "--out", output]);
        AssertUserError(outcome, expected);
        Assert.False(Directory.Exists(output));
    }

    /// <summary>A user's mistake as the CLI reports it: exit 2, one line on stderr holding <paramref name="expected"/>, no stack trace.</summary>
    public static void AssertUserError(Outcome outcome, string expected)
    {
        Assert.Equal(2, outcome.ExitCode);
        Assert.Single(outcome.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, outcome.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.StandardError, StringComparison.Ordinal);
    }

    /// <summary>
    /// A new empty folder under this test run's root. A run's folders hold about 1 GB (the tool
    /// package tests install loopsim), so each run deletes the roots of earlier runs whose process
    /// has ended, and tries to delete its own on exit (the test host may be stopped before).
    /// </summary>
    public static string TemporaryFolder()
    {
        string path = Path.Combine(RunRoot.Value, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    private static readonly Lazy<string> RunRoot = new(() =>
    {
        string parent = Path.Combine(Path.GetTempPath(), "loopsim-tests");
        Directory.CreateDirectory(parent);
        foreach (string earlier in Directory.EnumerateDirectories(parent, "run-*"))
        {
            var parts = Path.GetFileName(earlier).Split('-');
            if (parts.Length == 3 && int.TryParse(parts[1], out int process) && !IsRunning(process))
            {
                TryDelete(earlier);
            }
        }
        string root = Path.Combine(parent, $"run-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(root);
        return root;
    });

    private static bool IsRunning(int process)
    {
        try
        {
            using var found = Process.GetProcessById(process);
            return !found.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A program a test started may still hold a file: the next run deletes the rest.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
