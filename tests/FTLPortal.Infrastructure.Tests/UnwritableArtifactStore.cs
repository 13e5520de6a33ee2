using FTLPortal.Core.Storage;

namespace FTLPortal.Infrastructure.Tests;

/// <summary>
/// The artifact store of a data folder that becomes unwritable after <paramref name="writesAllowed"/> writes, as a folder
/// whose permissions were taken away would (chmod does not stop root, so the fault is injected here), or as a full disk
/// would with <paramref name="fault"/>. Reads still work; <see cref="Free"/> lets writes through again.
/// </summary>
internal sealed class UnwritableArtifactStore(IArtifactStore inner, int writesAllowed, Func<string, Exception>? fault = null) : IArtifactStore
{
    private readonly Func<string, Exception> _fault = fault ?? (key => new UnauthorizedAccessException($"Access to the path '{key}' is denied."));
    private readonly List<string> _saved = [];
    private int _writes;
    private int _writesAllowed = writesAllowed;
    private volatile bool _freed;

    public bool Unwritable => !_freed && Volatile.Read(ref _writes) >= Volatile.Read(ref _writesAllowed);

    /// <summary>The keys written so far, in order (refused writes are not in it).</summary>
    public IReadOnlyList<string> Saved
    {
        get
        {
            lock (_saved)
            {
                return [.. _saved];
            }
        }
    }

    /// <summary>From now on, <paramref name="more"/> writes go through and the ones after fail.</summary>
    public void FailAfter(int more) => Volatile.Write(ref _writesAllowed, Volatile.Read(ref _writes) + more);

    /// <summary>Space freed, permissions given back: every later write goes through.</summary>
    public void Free() => _freed = true;

    public async Task SaveAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        if (!_freed && Interlocked.Increment(ref _writes) > Volatile.Read(ref _writesAllowed))
        {
            throw _fault(key);
        }

        await inner.SaveAsync(key, content, cancellationToken);
        lock (_saved)
        {
            _saved.Add(key);
        }
    }

    public Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken) => inner.ReadAsync(key, cancellationToken);

    public bool Exists(string key) => inner.Exists(key);
}
