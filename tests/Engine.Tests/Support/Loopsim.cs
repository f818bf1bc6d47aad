using System.Diagnostics;

namespace Engine.Tests.Support;

/// <summary>Runs the real loopsim program (built next to the tests) as a user would, in its own process.</summary>
internal static class Loopsim
{
    public sealed record Outcome(int ExitCode, string StandardOutput, string StandardError);

    public static Outcome Run(params string[] arguments) => RunWith(new Dictionary<string, string>(), arguments);

    /// <summary>As <see cref="Run"/>, with these environment variables set for the program.</summary>
    public static Outcome RunWith(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        string program = Path.Combine(AppContext.BaseDirectory, "loopsim.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        start.ArgumentList.Add(program);
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

    public static string TemporaryFolder()
    {
        string path = Path.Combine(Path.GetTempPath(), "loopsim-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
