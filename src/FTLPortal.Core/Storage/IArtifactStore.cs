namespace FTLPortal.Core.Storage;

/// <summary>Where the portal keeps its own files (model weights, cards): keys are relative paths.</summary>
public interface IArtifactStore
{
    Task SaveAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken);

    bool Exists(string key);
}
