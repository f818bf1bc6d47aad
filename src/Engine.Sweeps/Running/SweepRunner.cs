using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Engine.Core.Specs;
using Engine.Simulation;
using Engine.Sweeps.Store;

namespace Engine.Sweeps.Running;

/// <summary>What a sweep run did: cells run now, cells found finished in the store, and the shard's total.</summary>
public sealed record SweepRunSummary(int Ran, int AlreadyFinished, int InShard);

/// <summary>
/// Runs a shard's unfinished cells and commits each to the store as soon as it is done: a
/// writer thread commits finished cells while the workers go on (cells that finish during a
/// commit go into the next one together), so the store's per-transaction cost overlaps the
/// simulation instead of adding to it. Small
/// cells (fewer replicate blocks than threads) run side by side, one thread each, so a sweep of
/// many small cells keeps every core busy; larger cells run one at a time on all threads. Which
/// cell runs where never changes its numbers: a cell's result depends on its spec alone.
/// </summary>
public static class SweepRunner
{
    /// <summary>
    /// Runs the shard's cells that the store does not hold yet. <paramref name="finished"/> hears
    /// of each committed cell (from the writer thread, in commit order);
    /// <paramref name="replicates"/> hears of replicates done across the cells in flight.
    /// </summary>
    public static SweepRunSummary Run(SweepSpec sweep, SweepStore store, Shard shard, RunOptions options,
        Action<CellResult>? finished = null, IProgress<long>? replicates = null, CancellationToken cancel = default)
    {
        var done = store.FinishedCells();
        var inShard = shard.CellsOf(sweep.Cells.Count).ToArray();
        var pending = inShard.Where(cell => !done.Contains(cell)).ToArray();
        if (pending.Length == 0)
        {
            return new SweepRunSummary(0, inShard.Length, inShard.Length);
        }
        long blocks = (sweep.Cells[pending[0]].Spec.Replicates + SimulationRunner.BlockSize - 1) / SimulationRunner.BlockSize;
        int side = options.Backend == Backends.Gpu ? 1 : Math.Max(1, options.Threads / (int)Math.Min(options.Threads, blocks));
        side = Math.Min(side, pending.Length);
        var cellOptions = options with { Threads = Math.Max(1, options.Threads / side) };
        var theory = new TheoryCache();
        var gate = new object();
        long completed = 0;
        var inFlight = new long[side];
        int next = 0;
        ExceptionDispatchInfo? failure = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        // Finished cells wait here for the writer; bounded, so a kill loses at most these and the cells running.
        using var queue = new BlockingCollection<CellResult>(boundedCapacity: Math.Max(4, 2 * side));

        void Fail(Exception exception)
        {
            lock (gate)
            {
                failure ??= ExceptionDispatchInfo.Capture(exception);
            }
            stop.Cancel();
        }

        void Report()
        {
            if (replicates is null)
            {
                return;
            }
            long total = Interlocked.Read(ref completed);
            for (int w = 0; w < inFlight.Length; w++)
            {
                total += Interlocked.Read(ref inFlight[w]);
            }
            replicates.Report(total);
        }

        void Work(int worker)
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    int slot = Interlocked.Increment(ref next) - 1;
                    if (slot >= pending.Length)
                    {
                        return;
                    }
                    var cell = sweep.Cells[pending[slot]];
                    var progress = new CellProgress(value => { Interlocked.Exchange(ref inFlight[worker], value); Report(); });
                    var result = CellRunner.Run(sweep, cell, cellOptions, theory, progress, stop.Token);
                    queue.Add(result, stop.Token);
                    Interlocked.Exchange(ref inFlight[worker], 0);
                    Interlocked.Add(ref completed, result.Replicates);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancel.IsCancellationRequested)
            {
                if (!stop.IsCancellationRequested || exception is not OperationCanceledException)
                {
                    Fail(exception);
                }
            }
        }

        // The writer commits whatever has finished since its last commit, in one transaction.
        var writer = new Thread(() =>
        {
            try
            {
                var batch = new List<CellResult>();
                var sinceCommit = System.Diagnostics.Stopwatch.StartNew();
                bool committed = false;
                foreach (var first in queue.GetConsumingEnumerable())
                {
                    batch.Clear();
                    batch.Add(first);
                    // A cell that finishes long after the last commit is committed at once; small
                    // cells finishing in quick succession share commits at most MinCommitInterval apart.
                    while (batch.Count < MaxCellsPerCommit)
                    {
                        var wait = committed ? MinCommitInterval - sinceCommit.Elapsed : TimeSpan.Zero;
                        if (!queue.TryTake(out var more, wait > TimeSpan.Zero ? wait : TimeSpan.Zero))
                        {
                            break;
                        }
                        batch.Add(more);
                    }
                    sinceCommit.Restart();
                    committed = true;
                    store.Commit(sweep, batch);
                    foreach (var result in batch)
                    {
                        finished?.Invoke(result);
                    }
                    Report();
                }
            }
            catch (Exception exception)
            {
                Fail(exception);
                // Unblock workers waiting to add.
                while (queue.TryTake(out _))
                {
                }
            }
        }) { IsBackground = true, Name = "loopsim store writer" };
        writer.Start();

        var workers = new Thread[side - 1];
        for (int w = 0; w < workers.Length; w++)
        {
            int worker = w + 1;
            workers[w] = new Thread(() => Work(worker)) { IsBackground = true, Name = "loopsim cell " + worker };
            workers[w].Start();
        }
        Work(0);
        foreach (var worker in workers)
        {
            worker.Join();
        }
        queue.CompleteAdding();
        writer.Join();
        failure?.Throw();
        cancel.ThrowIfCancellationRequested();
        return new SweepRunSummary(pending.Length, inShard.Length - pending.Length, inShard.Length);
    }

    /// <summary>
    /// The least time between the starts of two commits: a commit costs the store a few
    /// milliseconds of CPU whatever it holds, so a sweep of many small cells would otherwise spend
    /// a core on commits. A kill loses at most the cells that finished within this of it.
    /// </summary>
    public static readonly TimeSpan MinCommitInterval = TimeSpan.FromMilliseconds(25);

    /// <summary>The most cells one commit holds.</summary>
    public const int MaxCellsPerCommit = 64;

    /// <summary>Forwards progress synchronously (System.Progress would post to the thread pool).</summary>
    private sealed class CellProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
