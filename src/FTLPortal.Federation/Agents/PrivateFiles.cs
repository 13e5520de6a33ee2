using System.Text;

namespace FTLPortal.Federation.Agents;

/// <summary>
/// Files and folders only the agent's own user may open: on Unix, folders are created with mode 700 and files with 600
/// whatever the umask (a partner's rows must not be readable by other accounts on the machine). Elsewhere the platform's
/// defaults apply.
/// </summary>
internal static class PrivateFiles
{
    private const UnixFileMode FileMode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode FolderMode700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder (and missing parents) with mode 700; an existing folder is narrowed to 700.</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, FolderMode700);
        File.SetUnixFileMode(path, FolderMode700);
    }

    /// <summary>A new file (it must not exist) opened for writing, mode 600.</summary>
    public static FileStream CreateNew(string path, bool useAsync)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 81920,
            Options = useAsync ? FileOptions.Asynchronous : FileOptions.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode600;
        }

        return new FileStream(path, options);
    }

    public static async Task WriteAllTextAsync(string path, string text, CancellationToken ct)
    {
        var stream = CreateNew(path, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct).ConfigureAwait(false);
        }
    }
}
