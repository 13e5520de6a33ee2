namespace FTLPortal.Infrastructure.Hosting;

/// <summary>
/// The data folder holds partners' rows, the database and signing keys: on Unix its folders are created with mode 700 and
/// the database files with 600, whatever the umask. SQLite gives its journal and WAL files the database file's mode.
/// Folders and files that already exist keep the mode their owner gave them, except the agents' folders, which the agents
/// narrow themselves.
/// </summary>
internal static class PrivateDataFiles
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode FileMode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows() || Directory.Exists(path))
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, FolderMode);
    }

    /// <summary>Creates an empty file with mode 600 unless it exists (an empty file is a valid, empty SQLite database).</summary>
    public static void CreateEmptyFile(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode600;
        }

        try
        {
            using var created = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: its mode stands.
        }
    }
}
