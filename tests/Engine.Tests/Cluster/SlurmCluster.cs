using System.Diagnostics;
using System.Globalization;

namespace Engine.Tests.Cluster;

/// <summary>
/// A real single-node Slurm cluster on loopback for the tests (Debian's slurmctld, slurmd and
/// munge, which .ci/run installs): munged, slurmctld and slurmd started by hand, and stopped by
/// their pids when the tests are done, also when one fails. Needs root. Where Slurm is not
/// installed the cluster tests are skipped, except under LOOPSIM_REQUIRE_SLURM=1 (.ci/run), where
/// that is a failure.
/// </summary>
public sealed class SlurmCluster : IDisposable
{
    private readonly List<Process> _daemons = [];

    public SlurmCluster()
    {
        Missing = WhatIsMissing();
        if (Missing is not null)
        {
            return;
        }
        try
        {
            Start();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The cluster's MaxArraySize: small, so a 3-shard sweep needs two arrays (loopsim slurm reads it from scontrol).</summary>
    public const int MaxArraySize = 2;

    /// <summary>Why there is no cluster (null when it runs).</summary>
    public string? Missing { get; }

    /// <summary>Whether a missing cluster fails the tests instead of skipping them.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("LOOPSIM_REQUIRE_SLURM") == "1";

    private static string? WhatIsMissing()
    {
        foreach (string program in (ReadOnlySpan<string>)["/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/sbin/munged", "/usr/bin/sbatch", "/usr/bin/squeue", "/usr/bin/sinfo"])
        {
            if (!File.Exists(program))
            {
                return $"{program} is not installed (apt-get install slurmctld slurmd slurm-client munge; .ci/run does)";
            }
        }
        return Environment.UserName == "root" ? null : "starting slurmctld and slurmd needs root";
    }

    private void Start()
    {
        string host = Run("hostname").Trim();
        if (!File.ReadAllText("/etc/hosts").Split('\n').Any(line => line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Skip(1).Contains(host)))
        {
            File.AppendAllText("/etc/hosts", $"127.0.0.1 {host}\n");
        }
        foreach (string folder in (ReadOnlySpan<string>)["/var/lib/slurm/slurmctld", "/var/lib/slurm/slurmd", "/var/log/slurm", "/run/munge"])
        {
            Directory.CreateDirectory(folder);
        }
        Run("chown", "-R", "slurm:slurm", "/var/lib/slurm", "/var/log/slurm");
        Run("chown", "munge:munge", "/run/munge");
        Directory.CreateDirectory("/etc/slurm");
        File.WriteAllText("/etc/slurm/slurm.conf", string.Create(CultureInfo.InvariantCulture, $"""
            ClusterName=local
            SlurmctldHost={host}
            AuthType=auth/munge
            MpiDefault=none
            MailProg=/bin/true
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            SlurmUser=slurm
            SlurmctldPidFile=/run/slurmctld.pid
            SlurmdPidFile=/run/slurmd.pid
            StateSaveLocation=/var/lib/slurm/slurmctld
            SlurmdSpoolDir=/var/lib/slurm/slurmd
            SlurmctldLogFile=/var/log/slurm/slurmctld.log
            SlurmdLogFile=/var/log/slurm/slurmd.log
            ReturnToService=2
            JobAcctGatherType=jobacct_gather/none
            AccountingStorageType=accounting_storage/none
            JobCompType=jobcomp/filetxt
            JobCompLoc=/var/log/slurm/jobcomp.log
            MaxArraySize={MaxArraySize}
            NodeName={host} CPUs={Environment.ProcessorCount} RealMemory=4000 State=UNKNOWN
            PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP

            """));
        _daemons.Add(Daemon("setpriv", "--reuid=munge", "--regid=munge", "--init-groups", "/usr/sbin/munged", "-F"));
        WaitFor(() => File.Exists("/run/munge/munge.socket.2"), "munged's socket");
        _daemons.Add(Daemon("/usr/sbin/slurmctld", "-D", "-c"));
        _daemons.Add(Daemon("/usr/sbin/slurmd", "-D"));
        WaitFor(() => Run("sinfo", "-h", "-o", "%T").Trim() == "idle", "the node to be idle");
    }

    /// <summary>Waits until the job has left the queue (finished, failed or cancelled).</summary>
    public static void WaitForJob(string id, TimeSpan limit) =>
        WaitFor(() => Run("squeue", "-h", "-j", id).Trim().Length == 0, $"job {id} to finish", limit);

    /// <summary>The job-completion log (one line per finished job or array task, with its exit code).</summary>
    public static string CompletionLog => File.Exists("/var/log/slurm/jobcomp.log") ? File.ReadAllText("/var/log/slurm/jobcomp.log") : "";

    public void Dispose()
    {
        // slurmd and slurmctld first, munged last: the reverse of the start order.
        for (int d = _daemons.Count - 1; d >= 0; d--)
        {
            try
            {
                _daemons[d].Kill(entireProcessTree: true);
                _daemons[d].WaitForExit(10_000);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            _daemons[d].Dispose();
        }
        _daemons.Clear();
    }

    private static Process Daemon(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void WaitFor(Func<bool> condition, string what, TimeSpan? limit = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > (limit ?? TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException($"Slurm: timed out waiting for {what}");
            }
            Thread.Sleep(250);
        }
    }

    /// <summary>Runs a program to its end; its standard output (errors count as an empty answer while a daemon starts).</summary>
    public static string Run(string program, params string[] arguments)
    {
        var outcome = Engine.Tests.Support.Loopsim.RunProgram(program, null, new Dictionary<string, string>(), arguments);
        return outcome.ExitCode == 0 ? outcome.StandardOutput : "";
    }
}
