using FTLPortal.Core.Storage;

namespace FTLPortal.Infrastructure.Tests;

/// <summary>
/// The artifact store of a data folder that becomes unwritable after <paramref name="writesAllowed"/> writes, as a folder
/// whose permissions were taken away would (chmod does not stop root, so the fault is injected here). Reads still work.
/// </summary>
internal sealed class UnwritableArtifactStore(IArtifactStore inner, int writesAllowed) : IArtifactStore
{
    private int _writes;

    public bool Unwritable => Volatile.Read(ref _writes) >= writesAllowed;

    public Task SaveAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        Interlocked.Increment(ref _writes) > writesAllowed
            ? throw new UnauthorizedAccessException($"Access to the path '{key}' is denied.")
            : inner.SaveAsync(key, content, cancellationToken);

    public Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken) => inner.ReadAsync(key, cancellationToken);

    public bool Exists(string key) => inner.Exists(key);
}
