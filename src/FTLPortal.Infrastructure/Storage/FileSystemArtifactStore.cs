using FTLPortal.Core.Storage;
using FTLPortal.Infrastructure.Hosting;

namespace FTLPortal.Infrastructure.Storage;

/// <summary>Artifacts as files under the data folder; keys are checked so none escapes it.</summary>
internal sealed class FileSystemArtifactStore(PortalPaths paths) : IArtifactStore
{
    public async Task SaveAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var path = Resolve(key);
        // Model weights and cards are the partners' results: folders 700 and files 600 on Unix, like the rest of the data folder.
        PrivateDataFiles.CreateFolder(Path.GetDirectoryName(path)!);
        // Write beside and rename so a reader never sees half a file; a name of its own per writer, as a step may run twice at once.
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            var stream = PrivateDataFiles.CreateNew(temp);
            await using (stream)
            {
                await stream.WriteAsync(content, cancellationToken);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            // A half-written file (a full disk, a cancel) is removed: it would only take the space a re-run needs.
            File.Delete(temp);
            throw;
        }
    }

    public async Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = Resolve(key);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }

    public bool Exists(string key) => File.Exists(Resolve(key));

    private string Resolve(string key)
    {
        var root = Path.GetFullPath(paths.ArtifactsDirectory);
        var full = Path.GetFullPath(Path.Combine(root, key));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Artifact key '{key}' leaves the artifact folder.", nameof(key));
        }

        return full;
    }
}
