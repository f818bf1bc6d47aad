using System.Globalization;
using Tomlyn.Model;

namespace Engine.Core.Specs;

/// <summary>
/// Reads typed values out of one TOML table, naming each key by its full path in errors, and
/// rejects every key it was not asked for (a typo must never be silently ignored).
/// </summary>
internal sealed class TomlTableReader(TomlTable table, string path, params string[] allowedKeys)
{
    public string PathOf(string key) => path.Length == 0 ? key : $"{path}.{key}";

    public bool Has(string key) => table.ContainsKey(key);

    public void RejectUnknownKeys()
    {
        foreach (var key in table.Keys)
        {
            if (Array.IndexOf(allowedKeys, key) < 0)
            {
                string hint = Nearest(key, allowedKeys) is { } meant ? $"did you mean {meant}? " : "";
                throw new SpecException($"{PathOf(key)}: unknown key; {hint}allowed keys here: {string.Join(", ", allowedKeys)}");
            }
        }
    }

    public object Required(string key, string allowed) =>
        table.TryGetValue(key, out var value) && value is not null ? value : throw SpecException.Missing(PathOf(key), allowed);

    public long Integer(string key, long min, long max, string allowed)
    {
        var value = Required(key, allowed);
        return ToInteger(PathOf(key), value, min, max, allowed);
    }

    public static long ToInteger(string key, object value, long min, long max, string allowed)
    {
        if (value is not long integer || integer < min || integer > max)
        {
            throw SpecException.Invalid(key, value, allowed);
        }
        return integer;
    }

    public double Number(string key, double min, double max, string allowed, double? defaultValue = null)
    {
        if (defaultValue is { } fallback && !Has(key))
        {
            return fallback;
        }
        return ToNumber(PathOf(key), Required(key, allowed), min, max, allowed);
    }

    public static double ToNumber(string key, object value, double min, double max, string allowed)
    {
        double number = value switch
        {
            long l => l,
            double d => d,
            _ => throw SpecException.Invalid(key, value, allowed),
        };
        if (!double.IsFinite(number) || number < min || number > max)
        {
            throw SpecException.Invalid(key, value, allowed);
        }
        return number;
    }

    public string Choice(string key, string[] choices, string? defaultValue = null)
    {
        string allowed = "one of " + string.Join(", ", choices.Select(c => $"\"{c}\""));
        if (defaultValue is not null && !Has(key))
        {
            return defaultValue;
        }
        var value = Required(key, allowed);
        if (value is not string text || Array.IndexOf(choices, text) < 0)
        {
            string hint = value is string typed && Nearest(typed, choices) is { } meant ? $" (did you mean \"{meant}\"?)" : "";
            throw SpecException.Invalid(PathOf(key), value, allowed + hint);
        }
        return text;
    }

    public string Text(string key, string allowed)
    {
        var value = Required(key, allowed);
        return value is string text && text.Length > 0 ? text : throw SpecException.Invalid(PathOf(key), value, allowed);
    }

    public double[] Vector(string key, int dimension)
    {
        string allowed = $"an array of {dimension} finite numbers";
        var value = Required(key, allowed);
        return ToVector(PathOf(key), value, dimension, allowed);
    }

    private static double[] ToVector(string key, object value, int dimension, string allowed)
    {
        if (value is not TomlArray array || array.Count != dimension)
        {
            throw SpecException.Invalid(key, value, allowed);
        }
        var result = new double[dimension];
        for (int i = 0; i < dimension; i++)
        {
            result[i] = array[i] switch
            {
                long l => l,
                double d when double.IsFinite(d) => d,
                _ => throw SpecException.Invalid(key, value, allowed),
            };
        }
        return result;
    }

    /// <summary>A d x d matrix as an array of d rows, returned row-major.</summary>
    public double[] Matrix(string key, int dimension)
    {
        string allowed = $"an array of {dimension} rows of {dimension} finite numbers";
        var value = Required(key, allowed);
        if (value is not TomlArray rows || rows.Count != dimension)
        {
            throw SpecException.Invalid(PathOf(key), value, allowed);
        }
        var result = new double[dimension * dimension];
        for (int i = 0; i < dimension; i++)
        {
            var row = ToVector(PathOf(key), rows[i] ?? "", dimension, allowed);
            row.CopyTo(result, i * dimension);
        }
        return result;
    }

    public TomlTable Table(string key, string allowed)
    {
        var value = Required(key, allowed);
        return value as TomlTable ?? throw SpecException.Invalid(PathOf(key), value, allowed);
    }

    public static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// The candidate a mistyped word most likely meant: the nearest by edit distance (case
    /// ignored, a transposition counting one), if it is within a third of the word's length (at
    /// least 1, at most 3 edits) and no other candidate is as near; else null.
    /// </summary>
    public static string? Nearest(string word, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        bool tie = false;
        foreach (var candidate in candidates)
        {
            int distance = EditDistance(word.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance, tie) = (candidate, distance, false);
            }
            else if (distance == bestDistance)
            {
                tie = true;
            }
        }
        int limit = Math.Clamp(word.Length / 3, 1, 3);
        return best is not null && !tie && bestDistance <= limit ? best : null;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.</summary>
    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
