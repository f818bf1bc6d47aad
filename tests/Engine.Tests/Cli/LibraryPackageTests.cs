using System.Text.RegularExpressions;
using Engine.Tests.Support;

namespace Engine.Tests.Cli;

/// <summary>
/// The engine's libraries as NuGet packages, with their XML docs: packed from the built
/// solution, restored by a new program from a local folder, and the C# example of
/// docs/library.md, taken from the page itself, built and run against them.
/// </summary>
public partial class LibraryPackageTests
{
    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [Fact]
    public void PackagesCarryTheirDocsAndRunTheDocumentedExample()
    {
        string root = ReadmeTests.RepositoryRoot();
        string folder = Loopsim.TemporaryFolder();
        string packages = Path.Combine(folder, "nupkg");
        var environment = new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };
        var pack = Loopsim.RunProgram("dotnet", root, environment, "pack", Path.Combine(root, "Engine.sln"), "-c", "Release", "--no-build", "-o", packages);
        Assert.True(pack.ExitCode == 0, pack.StandardOutput + pack.StandardError);
        foreach (var library in new[] { "Core", "Simulation", "Theory", "Kernels", "Gpu", "Sweeps" })
        {
            string package = Path.Combine(packages, $"Loopsim.{library}.0.1.0.nupkg");
            Assert.True(File.Exists(package), package);
            using var archive = System.IO.Compression.ZipFile.OpenRead(package);
            Assert.Contains(archive.Entries, entry => entry.FullName == $"lib/net10.0/Engine.{library}.xml");
        }

        string consumer = Path.Combine(folder, "consumer");
        Directory.CreateDirectory(consumer);
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Loopsim.Gpu" Version="0.1.0" />
                <PackageReference Include="Loopsim.Theory" Version="0.1.0" />
                <PackageReference Include="Loopsim.Sweeps" Version="0.1.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(consumer, "NuGet.config"), $"""
            <configuration>
              <packageSources>
                <add key="loopsim-local" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        string example = CSharpBlock().Match(File.ReadAllText(Path.Combine(root, "docs", "library.md"))).Groups[1].Value;
        Assert.Contains("AnyBackend.Run", example, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(consumer, "Program.cs"), example);
        File.Copy(Path.Combine(root, "specs", "coupled-pair.toml"), Path.Combine(consumer, "coupled-pair.toml"));
        File.Copy(Path.Combine(root, "specs", "fig3.toml"), Path.Combine(consumer, "fig3.toml"));
        // A fresh folder for the new packages (a cached 0.1.0 of an earlier build must not be taken); the others come from the machine's cache.
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set ? set : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var build = Loopsim.RunProgram("dotnet", consumer, environment, "build", "-c", "Release", $"-p:RestorePackagesPath={Path.Combine(folder, "packages")}",
            $"-p:RestoreAdditionalProjectFallbackFolders={cache}");
        Assert.True(build.ExitCode == 0, build.StandardOutput + build.StandardError);
        var run = Loopsim.RunProgram("dotnet", consumer, environment, Path.Combine(consumer, "bin", "Release", "net10.0", "Consumer.dll"));
        Assert.True(run.ExitCode == 0, run.StandardOutput + run.StandardError);
        Assert.Contains("A_theta = ", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("spectral radius", run.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(consumer, "summary.json")));
        Assert.Contains("45 cells run, 0 already in the store", run.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1 + 45 * 2, File.ReadAllLines(Path.Combine(consumer, "fig3.csv")).Length);
    }
}
