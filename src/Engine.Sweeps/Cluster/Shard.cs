using System.Globalization;
using Engine.Core.Specs;

namespace Engine.Sweeps;

/// <summary>
/// Shard I of N (0 &lt;= I &lt; N) of a sweep: the cells c with c mod N = I. Dealing the cells out
/// in turn keeps the shards' work even when cost grows along an axis.
/// </summary>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>The whole sweep.</summary>
    public static readonly Shard Whole = new(0, 1);

    /// <summary>Whether the shard runs cell <paramref name="cell"/>.</summary>
    public bool Owns(int cell) => cell % Count == Index;

    /// <summary>The shard's cells of a sweep of <paramref name="total"/> cells, in order.</summary>
    public IEnumerable<int> CellsOf(int total)
    {
        for (int cell = Index; cell < total; cell += Count)
        {
            yield return cell;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Index}/{Count}";

    /// <summary>"I/N" of --shard; a malformed one is one clear line.</summary>
    public static Shard Parse(string text, string key = "--shard")
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count >= 1 && index < count)
        {
            return new Shard(index, count);
        }
        throw SpecException.Invalid(key, text, "I/N with 0 <= I < N, e.g. 0/4 for the first of four shards");
    }

    /// <summary>
    /// The shard of a --shard flag, else of a Slurm array task (SLURM_ARRAY_TASK_ID minus
    /// SLURM_ARRAY_TASK_MIN, of SLURM_ARRAY_TASK_COUNT tasks), else the whole sweep.
    /// </summary>
    public static Shard Resolve(string? flag, Func<string, string?> environment)
    {
        if (flag is not null)
        {
            return Parse(flag);
        }
        if (environment("SLURM_ARRAY_TASK_ID") is { } id && environment("SLURM_ARRAY_TASK_COUNT") is { } count)
        {
            string min = environment("SLURM_ARRAY_TASK_MIN") ?? "0";
            if (int.TryParse(id, CultureInfo.InvariantCulture, out int task) && int.TryParse(min, CultureInfo.InvariantCulture, out int first))
            {
                return Parse($"{task - first}/{count}", "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT");
            }
            throw SpecException.Invalid("SLURM_ARRAY_TASK_ID", id, "an integer (set by Slurm for an array task)");
        }
        return Whole;
    }
}
