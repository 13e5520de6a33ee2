using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

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
        var (assembly, projectDirectory) = LocateWebBuild();
        var port = FreeLoopbackPort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        Directory.CreateDirectory(DataDirectory);

        var start = new ProcessStartInfo("dotnet")
        {
            // The project folder as working directory, as with dotnet run: content root and appsettings.
            WorkingDirectory = projectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        start.Environment["Portal__DataDirectory"] = DataDirectory;
        start.Environment["Portal__SeedDemo"] = "true";
        start.Environment["Demo__Password"] = DemoPassword;
        // Every browser test signs in from 127.0.0.1: the per-address sign-in limit would otherwise answer 429.
        start.Environment["Portal__SignInAttemptsPerMinute"] = "1000";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in ExtraEnvironment)
        {
            start.Environment[name] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet");
        _process.OutputDataReceived += (_, e) => Record(e.Data);
        _process.ErrorDataReceived += (_, e) => Record(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        await WaitUntilHealthyAsync();
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

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var health = new Uri(BaseAddress, "/health");
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartupTimeout)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"The portal exited with code {_process.ExitCode} before it was healthy:{Environment.NewLine}{Output}");
            }

            try
            {
                using var response = await http.GetAsync(health);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but slow (first start seeds the demo federation).
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The portal was not healthy at {health} within {StartupTimeout.TotalSeconds} s:{Environment.NewLine}{Output}");
    }

    /// <summary>src/FTLPortal.Web/bin/{same configuration as this test assembly}/net10.0/FTLPortal.Web.dll and the project folder.</summary>
    private static (string Assembly, string ProjectDirectory) LocateWebBuild()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FTLPortal.sln")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new InvalidOperationException($"FTLPortal.sln not found above {AppContext.BaseDirectory}");
        }

        var configuration = typeof(PortalServer).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var project = Path.Combine(directory.FullName, "src", "FTLPortal.Web");
        var assembly = Path.Combine(project, "bin", configuration, "net10.0", "FTLPortal.Web.dll");
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"{assembly} does not exist: build the solution ({configuration}) first.");
        }

        return (assembly, project);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
