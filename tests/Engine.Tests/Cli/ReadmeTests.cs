using Engine.Tests.Support;

namespace Engine.Tests.Cli;

/// <summary>The README's sample output must be what the program prints, so the docs cannot drift from the code.</summary>
public class ReadmeTests
{
    [Fact]
    public void Fig3QuickTableInTheReadmeIsWhatTheProgramPrints()
    {
        string readme = File.ReadAllText(FindReadme());
        int start = readme.IndexOf("<!-- fig3-quick", StringComparison.Ordinal);
        int end = readme.IndexOf("<!-- /fig3-quick -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "README lacks the fig3-quick block");
        var expected = readme[start..end].Split('\n')
            .Select(line => line.TrimEnd())
            .Where(line => line.Length > 0 && !line.StartsWith("<!--", StringComparison.Ordinal) && !line.StartsWith("```", StringComparison.Ordinal))
            .ToArray();
        Assert.True(expected.Length >= 5);

        var outcome = Loopsim.Run("reproduce", "fig3", "--quick", "--out", Loopsim.TemporaryFolder());
        Assert.Equal(0, outcome.ExitCode);
        var printed = outcome.StandardOutput.Split('\n').Select(line => line.TrimEnd()).ToHashSet();
        foreach (var line in expected)
        {
            Assert.True(printed.Contains(line), $"README line not in the output of reproduce fig3 --quick:\n{line}");
        }
    }

    private static string FindReadme() => Path.Combine(RepositoryRoot(), "README.md");

    /// <summary>The folder holding Engine.sln, above the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Engine.sln")))
            {
                return folder.FullName;
            }
        }
        throw new DirectoryNotFoundException("the folder holding Engine.sln");
    }
}
