using FTLPortal.Core.Storage;
using FTLPortal.Infrastructure.Hosting;

namespace FTLPortal.Infrastructure.Storage;

/// <summary>Artifacts as files under the data folder; keys are checked so none escapes it.</summary>
internal sealed class FileSystemArtifactStore(PortalPaths paths) : IArtifactStore
{
    public async Task SaveAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var path = Resolve(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Write beside and rename so a reader never sees half a file.
        var temp = path + ".tmp";
        await File.WriteAllBytesAsync(temp, content.ToArray(), cancellationToken);
        File.Move(temp, path, overwrite: true);
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
