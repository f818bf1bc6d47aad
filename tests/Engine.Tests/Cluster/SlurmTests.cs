using Engine.Tests.Support;

namespace Engine.Tests.Cluster;

/// <summary>loopsim slurm: the scripts it writes, run by hand and on a real single-node Slurm cluster.</summary>
public class SlurmTests(SlurmCluster cluster) : IClassFixture<SlurmCluster>
{
    /// <summary>
    /// A sweep larger than the largest array is split across arrays (here 5 shards with at most
    /// 2 tasks per array: arrays of 2, 2 and 1); each array task runs its shard, and the merge
    /// script merges and exports. Run with bash and the task ids Slurm would set, the merged
    /// export equals the one-process export.
    /// </summary>
    [Fact]
    public void ScriptsSplitLargeSweepsIntoArraysAndTheirShardsMergeToTheOneProcessExport()
    {
        string spec = Loopsim.WriteSpec(SweepText.Small(replicates: 64, rounds: 10), out string folder);
        string expected = OneProcessExport(spec, folder);
        string scripts = Path.Combine(folder, "slurm");
        var written = Loopsim.Run("slurm", spec, "--tasks", "5", "--max-array-size", "2", "--out", scripts, "--loopsim", LoopsimCommand, "--sbatch=--time=00:10:00");
        Assert.True(written.ExitCode == 0, written.StandardError);
        var arrays = Directory.GetFiles(scripts, "array-*.sbatch").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(3, arrays.Length);
        Assert.Contains("#SBATCH --array=0-1", File.ReadAllText(arrays[1]), StringComparison.Ordinal);
        Assert.Contains("shard=$((SLURM_ARRAY_TASK_ID + 2))", File.ReadAllText(arrays[1]), StringComparison.Ordinal);
        Assert.Contains("#SBATCH --array=0-0", File.ReadAllText(arrays[2]), StringComparison.Ordinal);
        Assert.Contains("#SBATCH --time=00:10:00", File.ReadAllText(arrays[2]), StringComparison.Ordinal);
        Assert.Contains("--dependency=afterok:$job0:$job1:$job2", File.ReadAllText(Path.Combine(scripts, "submit.sh")), StringComparison.Ordinal);
        for (int a = 0; a < arrays.Length; a++)
        {
            for (int task = 0; task < (a < 2 ? 2 : 1); task++)
            {
                var outcome = Loopsim.RunProgram("bash", null, new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = $"{task}", ["SLURM_CPUS_PER_TASK"] = "1" }, arrays[a]);
                Assert.True(outcome.ExitCode == 0, outcome.StandardError);
            }
        }
        var merged = Loopsim.RunProgram("bash", null, new Dictionary<string, string>(), Path.Combine(scripts, "merge.sbatch"));
        Assert.True(merged.ExitCode == 0, merged.StandardError);
        Assert.Equal(expected, File.ReadAllText(Path.Combine(scripts, "sweep.csv")));
    }

    [Fact]
    public void SlurmFlagsAreCheckedBeforeAnythingIsWritten()
    {
        string spec = Loopsim.WriteSpec(SweepText.Small(), out string folder);
        string scripts = Path.Combine(folder, "slurm");
        var outcome = Loopsim.Run("slurm", spec, "--tasks", "0", "--out", scripts);
        Loopsim.AssertUserError(outcome, "--tasks = 0");
        Assert.False(Directory.Exists(scripts));
    }

    /// <summary>
    /// The issue's cluster test: a small sweep submitted with loopsim slurm --submit as 3 array
    /// tasks and a merge job (afterok) on a real Slurm; the merged export equals the one-process
    /// export. The cluster's MaxArraySize is 2, so the tasks go in two arrays (read from scontrol)
    /// and the merge job waits for both.
    /// </summary>
    [SkippableFact]
    public void ASweepSubmittedToARealSlurmMergesToTheOneProcessExport()
    {
        Skip.If(cluster.Missing is not null && !SlurmCluster.Required, cluster.Missing);
        Assert.True(cluster.Missing is null, cluster.Missing);
        // Cells with real work: Slurm starts array tasks only every 2-3 s.
        string spec = Loopsim.WriteSpec(SweepText.Small(replicates: 512, rounds: 40), out string folder);
        string expected = OneProcessExport(spec, folder);
        string scripts = Path.Combine(folder, "slurm");
        var submitted = Loopsim.Run("slurm", spec, "--tasks", "3", "--cpus-per-task", "1", "--submit", "--out", scripts, "--loopsim", LoopsimCommand);
        Assert.True(submitted.ExitCode == 0, submitted.StandardError + submitted.StandardOutput);
        string mergeJob = submitted.StandardOutput.Trim().Split('\n')[^1].Trim();
        Assert.Matches("^[0-9]+$", mergeJob);
        SlurmCluster.WaitForJob(mergeJob, TimeSpan.FromMinutes(4));
        string csv = Path.Combine(scripts, "sweep.csv");
        Assert.True(File.Exists(csv), $"the merge job wrote no export; its log:\n{Log(scripts, "merge.log")}\ncompletions:\n{SlurmCluster.CompletionLog}");
        Assert.Equal(expected, File.ReadAllText(csv));
        Assert.Equal(3, Directory.GetFiles(Path.Combine(scripts, "shards"), "*.duckdb").Length);
        Assert.Contains($"#SBATCH --array=0-{SlurmCluster.MaxArraySize - 1}", File.ReadAllText(Path.Combine(scripts, "array-0.sbatch")), StringComparison.Ordinal);
        Assert.Contains("#SBATCH --array=0-0", File.ReadAllText(Path.Combine(scripts, "array-1.sbatch")), StringComparison.Ordinal);
        Assert.Contains("submitted array jobs", submitted.StandardOutput, StringComparison.Ordinal);
    }

    private static string Log(string scripts, string name)
    {
        string path = Path.Combine(scripts, "logs", name);
        return File.Exists(path) ? File.ReadAllText(path) : "(none)";
    }

    private static string LoopsimCommand => $"{Dotnet} {Path.Combine(AppContext.BaseDirectory, "loopsim.dll")}";

    private static string Dotnet =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(folder => Path.Combine(folder, "dotnet")).FirstOrDefault(File.Exists) ?? "dotnet";

    private static string OneProcessExport(string spec, string folder)
    {
        string store = Path.Combine(folder, "whole.duckdb");
        string csv = Path.Combine(folder, "whole.csv");
        Assert.Equal(0, Loopsim.Run("sweep", spec, "--store", store, "--quiet").ExitCode);
        Assert.Equal(0, Loopsim.Run("export", store, "--out", csv, "--quiet").ExitCode);
        return File.ReadAllText(csv);
    }
}
