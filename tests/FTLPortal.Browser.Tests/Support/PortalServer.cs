using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using FTLPortal.Testing;

namespace FTLPortal.Browser.Tests.Support;

/// <summary>
/// The real portal as a separate process (the Web project's build output, run with <c>dotnet</c>), in
/// Development so package static assets are served, on a free loopback port with a fresh data folder.
/// Disposing kills it and deletes the folder.
/// </summary>
public sealed class PortalServer : IAsyncLifetime
{
    public const string DemoPassword = "Browser-Test-Passw0rd";

    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(90);

    private readonly ConcurrentQueue<string> _output = new();
    private readonly bool _ownsDataDirectory;
    private Process? _process;

    public PortalServer()
        : this(Path.Combine(Path.GetTempPath(), "ftl-browser-tests", Guid.NewGuid().ToString("N")), ownsDataDirectory: true)
    {
    }

    /// <summary>A portal on a data folder the caller keeps (and deletes), e.g. to start a second process on it.</summary>
    internal PortalServer(string dataDirectory, bool ownsDataDirectory)
    {
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
    }

    /// <summary>http://127.0.0.1:port, no trailing slash.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public string DataDirectory { get; }

    /// <summary>More environment variables for the process (configuration such as <c>Portal__Engines__Threads</c>), set before start.</summary>
    internal Dictionary<string, string> ExtraEnvironment { get; } = [];

    /// <summary>Everything the server wrote to stdout and stderr so far, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public async Task InitializeAsync()
    {
        var configuration = typeof(PortalServer).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var build = PortalLaunch.FindWebBuild(configuration, $"build the solution ({configuration}) first.");
        BaseAddress = new Uri($"http://127.0.0.1:{PortalLaunch.FreeLoopbackPort()}");
        Directory.CreateDirectory(DataDirectory);

        // Development: package static assets are served from the NuGet cache.
        var start = PortalLaunch.StartInfo(build, "Development", BaseAddress, DataDirectory, DemoPassword, signInAttemptsPerMinute: 1000);
        foreach (var (name, value) in ExtraEnvironment)
        {
            start.Environment[name] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet");
        _process.OutputDataReceived += (_, e) => Record(e.Data);
        _process.ErrorDataReceived += (_, e) => Record(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        await PortalLaunch.WaitUntilHealthyAsync(_process, BaseAddress, StartupTimeout, TimeSpan.FromSeconds(5), () => Output);
    }

    /// <summary>Kills the process tree at once, as a crash or a power cut would: no graceful shutdown, the data folder stays.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async Task DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        if (!_ownsDataDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail the run.
        }
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
