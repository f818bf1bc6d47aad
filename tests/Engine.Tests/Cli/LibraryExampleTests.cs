using Engine.Core.Results;
using Engine.Core.Specs;
using Engine.Gpu;
using Engine.Simulation;
using Engine.Theory;

namespace Engine.Tests.Cli;

/// <summary>The example of docs/library.md, as written there (with fewer replicates).</summary>
public class LibraryExampleTests
{
    [Fact]
    public void TheDocumentedExampleRuns()
    {
        var spec = SpecLoader.LoadFile(Path.Combine(ReadmeTests.RepositoryRoot(), "specs", "coupled-pair.toml")) with { Replicates = 256, Rounds = 40, BurnIn = 20 };
        var result = AnyBackend.Run(spec, new RunOptions { Backend = Backends.Auto, Threads = Environment.ProcessorCount });
        Assert.True(result.Alignment[0].StandardError > 0);
        Assert.True(result.Influence![1].Lower95 < result.Influence[1].Upper95);
        Assert.StartsWith("{", SummaryWriter.ToJson(result), StringComparison.Ordinal);
        var theory = TheoryAnalysis.Run(spec);
        Assert.True(theory.Converged);
        Assert.True(theory.InfluenceOf(0, 1) > 0);
        Assert.Throws<SpecException>(() => SpecLoader.Parse("dimension = 0"));
    }
}
