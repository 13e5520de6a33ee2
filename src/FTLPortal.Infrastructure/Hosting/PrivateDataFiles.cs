namespace FTLPortal.Infrastructure.Hosting;

/// <summary>
/// The data folder holds partners' rows, the database, signing keys and the artifacts (model weights, cards, packages,
/// checkpoints): on Unix its folders are created with mode 700 and its files with 600, whatever the umask. SQLite gives
/// its journal and WAL files the database file's mode. Folders and files that already exist keep the mode their owner
/// gave them, except the agents' folders, which the agents narrow themselves, and the artifacts folder, narrowed at start.
/// </summary>
internal static class PrivateDataFiles
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode FileMode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder and each missing parent with mode 700; with <paramref name="narrowExisting"/> an existing one is set to 700 too.</summary>
    public static void CreateFolder(string path, bool narrowExisting = false)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        if (!Directory.Exists(path))
        {
            // Directory.CreateDirectory(path, mode) gives the mode to the last folder only; missing parents get the
            // default. So each missing level is created here, from the outermost down.
            var missing = new Stack<string>();
            for (var level = Path.GetFullPath(path); !Directory.Exists(level); level = Path.GetDirectoryName(level)!)
            {
                missing.Push(level);
            }

            while (missing.TryPop(out var level))
            {
                Directory.CreateDirectory(level, FolderMode);
            }
        }
        else if (narrowExisting)
        {
            File.SetUnixFileMode(path, FolderMode);
        }
    }

    /// <summary>A new file (it must not exist) opened for asynchronous writing, mode 600.</summary>
    public static FileStream CreateNew(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode600;
        }

        return new FileStream(path, options);
    }

    /// <summary>Creates an empty file with mode 600 unless it exists (an empty file is a valid, empty SQLite database).</summary>
    public static void CreateEmptyFile(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        try
        {
            using var created = CreateNew(path);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: its mode stands.
        }
    }
}
