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
                string hint = Suggestions.Nearest(key, allowedKeys) is { } meant ? $"did you mean {meant}? " : "";
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
            string hint = value is string typed && Suggestions.Nearest(typed, choices) is { } meant ? $" (did you mean \"{meant}\"?)" : "";
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
}
