using Engine.Tests.Support;

namespace Engine.Tests.Cli;

/// <summary>loopsim as a .NET tool: dotnet pack makes the package, dotnet tool install puts loopsim on a tool path, and it runs.</summary>
public class ToolPackageTests
{
    [Fact]
    public void PackedToolInstallsAndRuns()
    {
        string root = ReadmeTests.RepositoryRoot();
        string folder = Loopsim.TemporaryFolder();
        string packages = Path.Combine(folder, "nupkg");
        string tools = Path.Combine(folder, "tools");
        // The solution is built by `dotnet test`; packing the built program needs no second build.
        var pack = Dotnet(root, "pack", Path.Combine(root, "src", "Engine.Cli"), "-c", "Release", "--no-build", "-o", packages);
        Assert.True(pack.ExitCode == 0, pack.Output);
        Assert.Single(Directory.GetFiles(packages, "loopsim.*.nupkg"));
        var install = Dotnet(folder, "tool", "install", "loopsim", "--tool-path", tools, "--add-source", packages, "--ignore-failed-sources");
        Assert.True(install.ExitCode == 0, install.Output);
        string loopsim = Path.Combine(tools, OperatingSystem.IsWindows() ? "loopsim.exe" : "loopsim");
        var version = Run(folder, loopsim, "--version");
        Assert.True(version.ExitCode == 0, version.Output);
        var init = Run(folder, loopsim, "init", "--example", "coupled-pair", "--out", Path.Combine(folder, "pair.toml"));
        Assert.True(init.ExitCode == 0, init.Output);
        var run = Run(folder, loopsim, "run", Path.Combine(folder, "pair.toml"), "--replicates", "32", "--quiet", "--out", Path.Combine(folder, "out"));
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.True(File.Exists(Path.Combine(folder, "out", "summary.json")));
        // The sweep store (DuckDB) and the figures (SkiaSharp) need native libraries: the package carries them.
        var init3 = Run(folder, loopsim, "init", "--example", "fig3", "--out", Path.Combine(folder, "fig3.toml"));
        Assert.True(init3.ExitCode == 0, init3.Output);
        string store = Path.Combine(folder, "fig3.duckdb");
        var sweep = Run(folder, loopsim, "sweep", Path.Combine(folder, "fig3.toml"), "--replicates", "8", "--store", store, "--quiet");
        Assert.True(sweep.ExitCode == 0, sweep.Output);
        var plot = Run(folder, loopsim, "plot", store, "--quiet");
        Assert.True(plot.ExitCode == 0, plot.Output);
        Assert.True(File.Exists(Path.Combine(folder, "fig3.png")));
    }

    private static (int ExitCode, string Output) Dotnet(string directory, params string[] arguments) => Run(directory, "dotnet", arguments);

    private static (int ExitCode, string Output) Run(string directory, string program, params string[] arguments)
    {
        var outcome = Loopsim.RunProgram(program, directory, new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" }, arguments);
        return (outcome.ExitCode, outcome.StandardOutput + outcome.StandardError);
    }
}
