using FTLPortal.Infrastructure.Hosting;
using FTLPortal.Infrastructure.Storage;

namespace FTLPortal.Infrastructure.Tests.Storage;

/// <summary>Artifacts are written whole or not at all, owner-only on Unix.</summary>
public sealed class FileSystemArtifactStoreTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "ftl-artifacts-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    [Fact]
    public async Task SaveAsync_CreatesEveryFolder700AndTheFile600_WhenNothingExistsYet()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var store = new FileSystemArtifactStore(new PortalPaths(_dataDirectory));

        await store.SaveAsync("jobs/a/rounds/1.safetensors", new byte[] { 1, 2, 3 }, default);

        var artifacts = Path.Combine(_dataDirectory, "artifacts");
        foreach (var folder in new[] { _dataDirectory, artifacts, Path.Combine(artifacts, "jobs"), Path.Combine(artifacts, "jobs", "a"), Path.Combine(artifacts, "jobs", "a", "rounds") })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(artifacts, "jobs", "a", "rounds", "1.safetensors")));
        Assert.Equal(new byte[] { 1, 2, 3 }, await store.ReadAsync("jobs/a/rounds/1.safetensors", default));
    }

    [Fact]
    public async Task SaveAsync_LeavesNoFileBehind_WhenTheWriteFails()
    {
        var store = new FileSystemArtifactStore(new PortalPaths(_dataDirectory));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        // The write fails after the temporary file was created, as a full disk would fail it.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SaveAsync("models/m/weights.safetensors", new byte[1024], cancelled.Token));

        Assert.Empty(Directory.GetFiles(Path.Combine(_dataDirectory, "artifacts"), "*", SearchOption.AllDirectories));
        Assert.False(store.Exists("models/m/weights.safetensors"));
    }
}
