using FTLPortal.Infrastructure.Hosting;
using FTLPortal.Infrastructure.Identity;
using Microsoft.Extensions.Configuration;

namespace FTLPortal.Web.Tests.Identity;

public sealed class DemoPasswordStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ftl-web-tests", Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Password_WhenNotConfigured_IsGeneratedOnceAndReusedAfterRestart()
    {
        var first = new DemoPasswordStore(Configuration(), new PortalPaths(_directory));

        var generated = first.Password;

        Assert.Equal(DemoPasswordSource.Generated, first.Source);
        Assert.Equal(16, generated.Length);
        Assert.Contains(generated, char.IsDigit);
        Assert.Contains(generated, char.IsUpper);
        Assert.Contains(generated, char.IsLower);
        Assert.Equal(generated, File.ReadAllText(first.FilePath).Trim());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first.FilePath));
        }

        var afterRestart = new DemoPasswordStore(Configuration(), new PortalPaths(_directory));
        Assert.Equal(generated, afterRestart.Password);
        Assert.Equal(DemoPasswordSource.StoredFile, afterRestart.Source);
    }

    [Fact]
    public void Password_WhenConfigured_WinsAndWritesNoFile()
    {
        var store = new DemoPasswordStore(Configuration(("Demo:Password", "Configured-Passw0rd")), new PortalPaths(_directory));

        Assert.Equal("Configured-Passw0rd", store.Password);
        Assert.Equal(DemoPasswordSource.Configuration, store.Source);
        Assert.False(File.Exists(store.FilePath));
        Directory.CreateDirectory(_directory);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
