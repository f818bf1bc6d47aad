using Engine.Core.Specs;

namespace Engine.Cli;

/// <summary>
/// Where a command writes its files. The folder is checked before any work starts and files are
/// written whole (temporary file, then rename), so a failed run leaves no partial output.
/// </summary>
internal sealed class OutputFolder
{
    private readonly string _path;

    public OutputFolder(string path)
    {
        if (File.Exists(path))
        {
            throw SpecException.Invalid("--out", path, "a folder (this is an existing file)");
        }
        _path = path;
    }

    /// <summary>The path of a file in the folder (which is not created until something is written).</summary>
    public string PathOf(string name) => Path.Combine(_path, name);

    public string Write(string name, string contents)
    {
        Directory.CreateDirectory(_path);
        string target = Path.Combine(_path, name);
        string temporary = target + ".partial";
        File.WriteAllText(temporary, contents);
        File.Move(temporary, target, overwrite: true);
        return target;
    }
}
