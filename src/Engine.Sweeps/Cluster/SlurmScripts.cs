using System.Diagnostics;
using System.Globalization;
using System.Text;
using Engine.Core.Specs;

namespace Engine.Sweeps;

/// <summary>What loopsim slurm is asked for.</summary>
public sealed record SlurmRequest
{
    /// <summary>The sweep spec, as an absolute path (the tasks run elsewhere).</summary>
    public required string SpecPath { get; init; }
    /// <summary>Shards, one array task each.</summary>
    public required int Tasks { get; init; }
    /// <summary>CPUs per task (its --threads).</summary>
    public int CpusPerTask { get; init; } = 1;
    /// <summary>GPUs per task; 0 asks for none.</summary>
    public int GpusPerTask { get; init; }
    /// <summary>The folder for the scripts, the shard stores, the logs, the merged store and its CSV export.</summary>
    public required string Folder { get; init; }
    /// <summary>The command line that runs loopsim on the nodes (quoted for the shell).</summary>
    public required string Loopsim { get; init; }
    /// <summary>--backend inside each task.</summary>
    public string Backend { get; init; } = "auto";
    /// <summary>--replicates inside each task, if given.</summary>
    public long? Replicates { get; init; }
    /// <summary>--sampler inside each task, if given.</summary>
    public string? Sampler { get; init; }
    /// <summary>The most tasks one array may have (the cluster's MaxArraySize): larger sweeps split into several arrays.</summary>
    public int MaxArraySize { get; init; } = SlurmScripts.DefaultMaxArraySize;
    /// <summary>Extra #SBATCH lines' options (partition, time limit, account), each like "--partition=debug".</summary>
    public IReadOnlyList<string> SbatchOptions { get; init; } = [];
}

/// <summary>The scripts written: the array scripts in order, then the merge script.</summary>
public sealed record SlurmPlan(IReadOnlyList<string> ArrayScripts, string MergeScript, string SubmitScript, string MergedStore, string MergedCsv);

/// <summary>
/// loopsim slurm: an sbatch array script per at most MaxArraySize shards (task t runs shard
/// offset + t of N with --resume, so a requeued task finishes its shard), and a merge job that
/// depends on every array (afterok), merges the shard stores and exports the merged one as CSV.
/// </summary>
public static class SlurmScripts
{
    /// <summary>Slurm's default MaxArraySize (indices 0..1000).</summary>
    public const int DefaultMaxArraySize = 1001;

    /// <summary>Writes the scripts; nothing is submitted.</summary>
    public static SlurmPlan Write(SlurmRequest request)
    {
        if (request.Tasks < 1)
        {
            throw SpecException.Invalid("--tasks", request.Tasks, "an integer >= 1 (one array task per shard)");
        }
        if (request.CpusPerTask < 1)
        {
            throw SpecException.Invalid("--cpus-per-task", request.CpusPerTask, "an integer >= 1");
        }
        if (request.GpusPerTask < 0)
        {
            throw SpecException.Invalid("--gpus-per-task", request.GpusPerTask, "an integer >= 0");
        }
        if (request.MaxArraySize < 1)
        {
            throw SpecException.Invalid("--max-array-size", request.MaxArraySize, "an integer >= 1");
        }
        string folder = Path.GetFullPath(request.Folder);
        Directory.CreateDirectory(Path.Combine(folder, "shards"));
        Directory.CreateDirectory(Path.Combine(folder, "logs"));
        string name = Path.GetFileNameWithoutExtension(request.SpecPath);
        var arrays = new List<string>();
        for (int offset = 0, array = 0; offset < request.Tasks; offset += request.MaxArraySize, array++)
        {
            int count = Math.Min(request.MaxArraySize, request.Tasks - offset);
            var directives = new List<string> { $"--array=0-{count - 1}", "--ntasks=1", $"--cpus-per-task={request.CpusPerTask}" };
            if (request.GpusPerTask > 0)
            {
                directives.Add($"--gpus-per-task={request.GpusPerTask}");
            }
            var script = Header(request, $"loopsim-{name}-{array}", directives, $"{folder}/logs/shard-%a-of-array-{array}.log");
            script.Append(CultureInfo.InvariantCulture, $"# Shards {offset} to {offset + count - 1} of {request.Tasks}: task t runs shard {offset} + t.\n");
            script.Append(CultureInfo.InvariantCulture, $"shard=$((SLURM_ARRAY_TASK_ID + {offset}))\n");
            script.Append(CultureInfo.InvariantCulture, $"exec {request.Loopsim} sweep {Quote(request.SpecPath)} --shard \"$shard/{request.Tasks}\" --store \"{folder}/shards/shard-$shard-of-{request.Tasks}.duckdb\" --resume");
            script.Append(CultureInfo.InvariantCulture, $" --threads \"${{SLURM_CPUS_PER_TASK:-{request.CpusPerTask}}}\" --backend {request.Backend}{ReplicatesFlag(request)}{(request.Sampler is { } sampler ? " --sampler " + sampler : "")}\n");
            string path = Path.Combine(folder, $"array-{array}.sbatch");
            File.WriteAllText(path, script.ToString());
            arrays.Add(path);
        }
        string merged = Path.Combine(folder, "sweep.duckdb");
        string csv = Path.Combine(folder, "sweep.csv");
        var merge = Header(request, $"loopsim-{name}-merge", ["--ntasks=1", "--cpus-per-task=1"], $"{folder}/logs/merge.log");
        merge.Append(CultureInfo.InvariantCulture, $"rm -f {Quote(merged)}\n");
        merge.Append(CultureInfo.InvariantCulture, $"{request.Loopsim} merge {Quote(merged)}");
        for (int shard = 0; shard < request.Tasks; shard++)
        {
            merge.Append(CultureInfo.InvariantCulture, $" \"{folder}/shards/shard-{shard}-of-{request.Tasks}.duckdb\"");
        }
        merge.Append('\n');
        merge.Append(CultureInfo.InvariantCulture, $"{request.Loopsim} export {Quote(merged)} --format csv --out {Quote(csv)}\n");
        string mergePath = Path.Combine(folder, "merge.sbatch");
        File.WriteAllText(mergePath, merge.ToString());

        var submit = new StringBuilder("#!/bin/bash\n# Submits the arrays, then the merge job once every array has succeeded.\nset -euo pipefail\n");
        for (int a = 0; a < arrays.Count; a++)
        {
            submit.Append(CultureInfo.InvariantCulture, $"job{a}=$(sbatch --parsable {Quote(arrays[a])} | cut -d';' -f1)\n");
        }
        submit.Append(CultureInfo.InvariantCulture, $"sbatch --parsable --dependency=afterok:{string.Join(":", arrays.Select((_, a) => $"$job{a}"))} {Quote(mergePath)}\n");
        string submitPath = Path.Combine(folder, "submit.sh");
        File.WriteAllText(submitPath, submit.ToString());
        return new SlurmPlan(arrays, mergePath, submitPath, merged, csv);
    }

    /// <summary>A job script's first lines: its #SBATCH directives (the request's extra options included), its log, and bash's strict mode.</summary>
    private static StringBuilder Header(SlurmRequest request, string jobName, IEnumerable<string> directives, string log)
    {
        var script = new StringBuilder("#!/bin/bash\n");
        foreach (var directive in directives.Prepend($"--job-name={jobName}").Concat(request.SbatchOptions).Append($"--output={log}"))
        {
            script.Append(CultureInfo.InvariantCulture, $"#SBATCH {directive}\n");
        }
        return script.Append("set -euo pipefail\n");
    }

    /// <summary>Submits the arrays and then the merge job with afterok on all of them; returns the job ids (arrays, then merge).</summary>
    public static IReadOnlyList<string> Submit(SlurmPlan plan)
    {
        var ids = new List<string>();
        foreach (var script in plan.ArrayScripts)
        {
            ids.Add(Sbatch(script));
        }
        ids.Add(Sbatch($"--dependency=afterok:{string.Join(":", ids)}", plan.MergeScript));
        return ids;
    }

    /// <summary>The cluster's MaxArraySize (scontrol show config), or null when scontrol cannot say.</summary>
    public static int? ClusterMaxArraySize()
    {
        try
        {
            var (code, output, _) = RunProgram("scontrol", "show", "config");
            if (code != 0)
            {
                return null;
            }
            foreach (var line in output.Split('\n'))
            {
                var parts = line.Split('=', 2, StringSplitOptions.TrimEntries);
                if (parts.Length == 2 && parts[0] == "MaxArraySize" && int.TryParse(parts[1], CultureInfo.InvariantCulture, out int size))
                {
                    return size;
                }
            }
            return null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string Sbatch(params string[] arguments)
    {
        (int code, string output, string error) result;
        try
        {
            result = RunProgram("sbatch", ["--parsable", .. arguments]);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw SpecException.Invalid("--submit", "sbatch", "needs Slurm's sbatch on PATH (the scripts are written: submit them on the cluster's login node)");
        }
        if (result.code != 0)
        {
            throw new SpecException($"--submit: sbatch {string.Join(' ', arguments)} failed: {result.error.Trim().Split('\n')[0]}");
        }
        return result.output.Trim().Split(';')[0];
    }

    private static (int Code, string Output, string Error) RunProgram(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    private static string ReplicatesFlag(SlurmRequest request) =>
        request.Replicates is { } replicates ? string.Create(CultureInfo.InvariantCulture, $" --replicates {replicates}") : "";

    /// <summary>A word for bash, in single quotes.</summary>
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
