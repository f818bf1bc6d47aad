using System.Globalization;
using Engine.Core.Specs;

namespace Engine.Sweeps.Store;

/// <summary>
/// loopsim merge: one store of the whole sweep from the stores of all its shards. It refuses,
/// with one line and before writing anything, a shard of another sweep, a shard given twice, a
/// missing shard, and a shard whose cells are not all finished. The merged store is the store of
/// shard 0/1: its export equals that of the sweep run in one process.
/// </summary>
public static class SweepMerge
{
    /// <summary>Merges <paramref name="shards"/> into a new store at <paramref name="target"/>; returns the cells merged.</summary>
    public static int Merge(string target, IReadOnlyList<string> shards)
    {
        if (shards.Count == 0)
        {
            throw SpecException.Missing("SHARD_STORE", "one store per shard of the sweep");
        }
        if (File.Exists(target))
        {
            throw SpecException.Invalid("STORE", target, "exists already: merge writes a new store");
        }
        var infos = new StoreInfo[shards.Count];
        var finished = new int[shards.Count];
        for (int s = 0; s < shards.Count; s++)
        {
            using var store = SweepStore.Open(shards[s]);
            infos[s] = store.Info;
            finished[s] = store.FinishedCells().Count;
        }
        var first = infos[0];
        var seen = new Dictionary<int, string>();
        for (int s = 0; s < shards.Count; s++)
        {
            var info = infos[s];
            if (info.Identity != first.Identity)
            {
                throw SpecException.Invalid("SHARD_STORE", shards[s], $"is a shard of another sweep (made from {info.Source}, digest {info.Identity[..12]}), not of the sweep of {shards[0]} ({first.Source}, digest {first.Identity[..12]})");
            }
            if (info.Precision != first.Precision)
            {
                throw SpecException.Invalid("SHARD_STORE", shards[s], $"holds {info.Precision}-precision results but {shards[0]} holds {first.Precision}: one store holds one precision");
            }
            if (info.Shard.Count != first.Shard.Count)
            {
                throw SpecException.Invalid("SHARD_STORE", shards[s], $"holds shard {info.Shard} but {shards[0]} holds shard {first.Shard}: the shards of one merge split the sweep the same way");
            }
            if (seen.TryGetValue(info.Shard.Index, out var other))
            {
                throw SpecException.Invalid("SHARD_STORE", shards[s], $"holds shard {info.Shard}, as {other} does: give each shard once");
            }
            seen[info.Shard.Index] = shards[s];
            if (finished[s] != info.CellsInShard)
            {
                throw SpecException.Invalid("SHARD_STORE", shards[s], $"has {finished[s]} of its {info.CellsInShard} cells finished: finish shard {info.Shard} with loopsim sweep --resume first");
            }
        }
        for (int index = 0; index < first.Shard.Count; index++)
        {
            if (!seen.ContainsKey(index))
            {
                throw new SpecException($"SHARD_STORE: shard {index}/{first.Shard.Count} is missing: give the stores of all {first.Shard.Count} shards of the sweep");
            }
        }

        SweepStore.CreateWhole(target, connection =>
        {
            SweepStore.Execute(connection, $"ATTACH '{Quote(shards[0])}' AS first_shard (READ_ONLY)");
            SweepStore.Execute(connection, "INSERT INTO sweep_info SELECT key, value FROM first_shard.sweep_info WHERE key NOT IN ('shard_index', 'shard_count', 'cells_in_shard')");
            SweepStore.Execute(connection, "INSERT INTO axes SELECT * FROM first_shard.axes");
            SweepStore.Execute(connection, "DETACH first_shard");
            foreach (var (key, value) in new Dictionary<string, string>
            {
                ["shard_index"] = "0",
                ["shard_count"] = "1",
                ["cells_in_shard"] = first.CellsTotal.ToString(CultureInfo.InvariantCulture),
                ["merged_from"] = string.Join(", ", shards.Select(Path.GetFileName)),
            })
            {
                SweepStore.Execute(connection, "INSERT INTO sweep_info VALUES ($1, $2)", key, value);
            }
            for (int s = 0; s < shards.Count; s++)
            {
                SweepStore.Execute(connection, $"ATTACH '{Quote(shards[s])}' AS shard (READ_ONLY)");
                foreach (string table in (ReadOnlySpan<string>)["cells", "cell_values", "estimates", "trajectories"])
                {
                    SweepStore.Execute(connection, $"INSERT INTO {table} SELECT * FROM shard.{table}");
                }
                SweepStore.Execute(connection, "DETACH shard");
            }
        });
        return first.CellsTotal;
    }

    private static string Quote(string path) => Path.GetFullPath(path).Replace("'", "''", StringComparison.Ordinal);
}
