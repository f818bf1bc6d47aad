using System.Text.RegularExpressions;
using Engine.Core.Specs;

namespace Engine.Tests.Cli;

/// <summary>The documentation in docs/ against the program: every spec key, and no reference outside the repository.</summary>
public partial class DocsTests
{
    [GeneratedRegex(@"^\| `([a-z_.]+)` \|", RegexOptions.Multiline)]
    private static partial Regex KeyRow();

    [Fact]
    public void EverySpecKeyIsDocumentedAndEveryDocumentedKeyIsAccepted()
    {
        string text = File.ReadAllText(Path.Combine(ReadmeTests.RepositoryRoot(), "docs", "spec.md"));
        var documented = KeyRow().Matches(text).Select(match => match.Groups[1].Value).ToHashSet();
        var accepted = SpecLoader.AcceptedKeys.ToHashSet();
        Assert.Empty(accepted.Except(documented));
        Assert.Empty(documented.Except(accepted));
    }

    /// <summary>Nothing in the project sends its reader to a file outside the repository (../shared is the developers', not the users').</summary>
    [Fact]
    public void NothingRefersOutsideTheRepository()
    {
        string root = ReadmeTests.RepositoryRoot();
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(root, file);
            if (relative.StartsWith(".git", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal)
                || relative.StartsWith("bench/results", StringComparison.Ordinal) || relative.StartsWith("BenchmarkDotNet.Artifacts", StringComparison.Ordinal)
                || !(file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".md", StringComparison.Ordinal) || file.EndsWith(".toml", StringComparison.Ordinal)
                    || file.EndsWith(".sh", StringComparison.Ordinal) || file.EndsWith(".py", StringComparison.Ordinal) || file.EndsWith("csproj", StringComparison.Ordinal)))
            {
                continue;
            }
            if (Path.GetFileName(file) == "DocsTests.cs")
            {
                continue; // this test names the patterns it looks for
            }
            string text = File.ReadAllText(file);
            if (text.Contains("../shared", StringComparison.Ordinal) || Regex.IsMatch(text, @"(?<![a-z/])MODEL\.md"))
            {
                offenders.Add(relative);
            }
        }
        Assert.Empty(offenders);
    }
}
