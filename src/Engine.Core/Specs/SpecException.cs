namespace Engine.Core.Specs;

/// <summary>
/// A user mistake in a spec or a flag. The message is one line that names the key, the value and
/// what is allowed; the CLI prints it and exits with code 2.
/// </summary>
public sealed class SpecException(string message) : Exception(message)
{
    /// <summary>A key whose value is not allowed: the key, the value and what is allowed.</summary>
    public static SpecException Invalid(string key, object? value, string allowed) =>
        new($"{key} = {Format(value)}: {allowed}");

    /// <summary>A required key that is absent.</summary>
    public static SpecException Missing(string key, string allowed) =>
        new($"{key} is missing: it is required ({allowed})");

    /// <summary>A value as the error line shows it.</summary>
    public static string Format(object? value) => value switch
    {
        null => "(nothing)",
        string s => $"\"{s}\"",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        System.Collections.IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(Format)) + "]",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "?",
    };
}
