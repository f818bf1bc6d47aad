using System.Diagnostics;
using Engine.Tests.Support;

namespace Engine.Tests.Sweeps;

/// <summary>
/// The three byte-identity properties of a sweep's export (docs/outputs.md, "Sweeps"): one
/// process, shards then merge, and killed (kill -9, at several points) then --resume, also with
/// a precision target; and merge's refusals. Everything runs through the real program.
/// </summary>
public class SweepStoreTests
{
    private static readonly string TargetSweep = "[sweep]\ntarget_half_width = 0.03\nmax_replicates = 1024";

    public static TheoryData<string> Sweeps => new() { "", TargetSweep };

    [Theory]
    [MemberData(nameof(Sweeps))]
    public void ShardsThenMergeExportTheSameBytesAsOneProcess(string sweep)
    {
        string spec = Loopsim.WriteSpec(SweepText.Small(sweep: sweep), out string folder);
        var (csv, parquet) = RunWhole(spec, folder);

        var shards = new List<string>();
        for (int shard = 0; shard < 3; shard++)
        {
            string store = Path.Combine(folder, $"shard-{shard}.duckdb");
            Ok(Loopsim.Run("sweep", spec, "--shard", $"{shard}/3", "--store", store, "--quiet"));
            shards.Add(store);
        }
        string merged = Path.Combine(folder, "merged.duckdb");
        // Shards in any order: the merged export is ordered by cell.
        Ok(Loopsim.Run(["merge", merged, shards[2], shards[0], shards[1]]));
        Assert.Equal(csv, Export(merged, "csv", folder));
        Assert.Equal(parquet, Export(merged, "parquet", folder));
    }

    /// <summary>Any backend runs a sweep: the gpu kernels (on ILGPU's CPU accelerator here) give the reference's export, byte for byte.</summary>
    [Fact]
    public void TheGpuBackendSweepsToTheReferencesExport()
    {
        string spec = Loopsim.WriteSpec(SweepText.Small(replicates: 64, rounds: 10), out string folder);
        string reference = Path.Combine(folder, "reference.duckdb"), gpu = Path.Combine(folder, "gpu.duckdb");
        Ok(Loopsim.Run("sweep", spec, "--store", reference, "--backend", "reference", "--quiet"));
        Ok(Loopsim.Run("sweep", spec, "--store", gpu, "--backend", "gpu", "--device", "cpu-accelerator", "--quiet"));
        Assert.Equal(Export(reference, "csv", folder), Export(gpu, "csv", folder));
    }

    [Fact]
    public void TheSlurmEnvironmentPicksTheShard()
    {
        string spec = Loopsim.WriteSpec(SweepText.Small(), out string folder);
        string store = Path.Combine(folder, "task.duckdb");
        var environment = new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "1", ["SLURM_ARRAY_TASK_COUNT"] = "3" };
        var outcome = Loopsim.RunWith(environment, "sweep", spec, "--store", store);
        Ok(outcome);
        Assert.Contains("shard 1/3: 2 cells", outcome.StandardOutput, StringComparison.Ordinal);
        string csv = Export(store, "csv", folder);
        // Cells 1 and 4 of 6, two models each.
        Assert.Equal(["1", "1", "4", "4"], csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')[0]));
    }

    [Theory]
    [MemberData(nameof(Sweeps))]
    public void KilledAtAnyPointThenResumedExportsTheSameBytes(string sweep)
    {
        string spec = Loopsim.WriteSpec(SweepText.Small(sweep: sweep), out string folder);
        var (csv, parquet) = RunWhole(spec, folder);

        // Killed mid-write (inside a cell's transaction, its rows written, not committed) at the
        // first cell and at a later one, and killed between cells after two have committed.
        foreach (var (hold, afterCells) in new (int? Hold, int AfterCells)[] { (0, 0), (4, 0), (null, 2) })
        {
            string store = Path.Combine(folder, $"killed-{hold}-{afterCells}.duckdb");
            var environment = hold is { } cell ? new Dictionary<string, string> { ["LOOPSIM_TEST_HOLD_COMMIT"] = cell.ToString(System.Globalization.CultureInfo.InvariantCulture) } : [];
            int committed = KillWhile(environment, ["sweep", spec, "--store", store, "--threads", "1"],
                line => hold is not null ? line.Contains("holding the commit", StringComparison.Ordinal) : line.StartsWith($"cell {afterCells}/", StringComparison.Ordinal));
            Assert.True(File.Exists(store), "the store should exist after the kill");
            string partial = Export(store, "csv", folder);
            // Every cell in the store is whole: two rows per committed cell, the held cell absent.
            var cells = partial.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')[0]).ToArray();
            Assert.Equal(cells.Length, 2 * cells.Distinct().Count());
            if (hold is { } held)
            {
                // The held transaction (the held cell, and any cell committed with it) is absent; the cells before it are whole.
                Assert.DoesNotContain(held.ToString(System.Globalization.CultureInfo.InvariantCulture), cells);
                Assert.All(cells, cell => Assert.True(int.Parse(cell, System.Globalization.CultureInfo.InvariantCulture) < held));
            }
            else
            {
                Assert.True(cells.Distinct().Count() >= committed);
            }
            var resumed = Loopsim.Run("sweep", spec, "--store", store, "--resume");
            Ok(resumed);
            Assert.Contains($"{cells.Distinct().Count()} already there", resumed.StandardOutput, StringComparison.Ordinal);
            Assert.Equal(csv, Export(store, "csv", folder));
            Assert.Equal(parquet, Export(store, "parquet", folder));
        }
    }

    [Fact]
    public void ResumeRefusesAnotherSweepAndAStoreIsNeverOverwritten()
    {
        string spec = Loopsim.WriteSpec(SweepText.Small(), out string folder);
        string store = Path.Combine(folder, "sweep.duckdb");
        Ok(Loopsim.Run("sweep", spec, "--store", store, "--quiet"));
        string before = Export(store, "csv", folder);

        var again = Loopsim.Run("sweep", spec, "--store", store);
        Loopsim.AssertUserError(again, "exists already: pass --resume");
        var other = Loopsim.Run("sweep", spec, "--store", store, "--resume", "--replicates", "300");
        Loopsim.AssertUserError(other, "holds another sweep");
        var shard = Loopsim.Run("sweep", spec, "--store", store, "--resume", "--shard", "1/2");
        Loopsim.AssertUserError(shard, "the store " + store + " holds shard 0/1");
        var single = Loopsim.Run("sweep", spec, "--store", store, "--resume", "--precision", "single");
        Loopsim.AssertUserError(single, "holds double-precision results; resume it with --precision double");
        Assert.Equal(before, Export(store, "csv", folder));
    }

    [Fact]
    public void MergeRefusesMissingDuplicateUnfinishedAndForeignShards()
    {
        string spec = Loopsim.WriteSpec(SweepText.Small(), out string folder);
        string other = Loopsim.WriteSpec(SweepText.Small().Replace("seed = 7", "seed = 8", StringComparison.Ordinal), out _);
        string Shard(string path, int index, string name)
        {
            string store = Path.Combine(folder, name);
            Ok(Loopsim.Run("sweep", path, "--shard", $"{index}/3", "--store", store, "--quiet"));
            return store;
        }
        string s0 = Shard(spec, 0, "s0.duckdb"), s1 = Shard(spec, 1, "s1.duckdb"), s2 = Shard(spec, 2, "s2.duckdb");
        string foreign = Shard(other, 2, "foreign.duckdb");
        string target = Path.Combine(folder, "merged.duckdb");

        Loopsim.AssertUserError(Loopsim.Run("merge", target, s0, s1), "shard 2/3 is missing");
        Loopsim.AssertUserError(Loopsim.Run("merge", target, s0, s1, s1), "holds shard 1/3, as " + s1 + " does");
        Loopsim.AssertUserError(Loopsim.Run("merge", target, s0, s1, foreign), "is a shard of another sweep");
        Assert.False(File.Exists(target));

        // A shard killed before it finished is refused until it is resumed.
        string unfinished = Path.Combine(folder, "unfinished.duckdb");
        KillWhile(new Dictionary<string, string> { ["LOOPSIM_TEST_HOLD_COMMIT"] = "5" }, ["sweep", spec, "--shard", "2/3", "--store", unfinished, "--threads", "1"],
            line => line.Contains("holding the commit", StringComparison.Ordinal));
        Loopsim.AssertUserError(Loopsim.Run("merge", target, s0, s1, unfinished), "has 1 of its 2 cells finished");
        Assert.False(File.Exists(target));
        Ok(Loopsim.Run("merge", target, s0, s1, s2));
    }

    /// <summary>The sweep in one process: its CSV and Parquet exports.</summary>
    private static (string Csv, string ParquetHex) RunWhole(string spec, string folder)
    {
        string store = Path.Combine(folder, "whole.duckdb");
        Ok(Loopsim.Run("sweep", spec, "--store", store, "--quiet"));
        string csv = Export(store, "csv", folder);
        Assert.Equal(13, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        return (csv, Export(store, "parquet", folder));
    }

    private static string Export(string store, string format, string folder)
    {
        string path = ExportPath(store, format, folder);
        return format == "csv" ? File.ReadAllText(path) : Convert.ToHexString(File.ReadAllBytes(path));
    }

    private static string ExportPath(string store, string format, string folder)
    {
        string path = Path.Combine(folder, Path.GetFileNameWithoutExtension(store) + "-" + Guid.NewGuid().ToString("N")[..6] + "." + format);
        Ok(Loopsim.Run("export", store, "--format", format, "--out", path, "--quiet"));
        return path;
    }

    private static void Ok(Loopsim.Outcome outcome) => Assert.True(outcome.ExitCode == 0, $"exit {outcome.ExitCode}: {outcome.StandardError}");

    /// <summary>Starts loopsim, reads its stderr until a line matches, then kills it (SIGKILL); returns the "done" lines seen.</summary>
    private static int KillWhile(IReadOnlyDictionary<string, string> environment, string[] arguments, Func<string, bool> killAt)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "loopsim.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        int done = 0;
        var deadline = Stopwatch.StartNew();
        while (process.StandardError.ReadLine() is { } line)
        {
            if (line.StartsWith("cell ", StringComparison.Ordinal) && line.Contains(" done", StringComparison.Ordinal))
            {
                done++;
            }
            if (killAt(line))
            {
                process.Kill();
                process.WaitForExit();
                return done;
            }
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2), "the sweep never reached the kill point");
        }
        process.WaitForExit();
        Assert.Fail($"the sweep ended (exit {process.ExitCode}) before the kill point");
        return done;
    }
}
