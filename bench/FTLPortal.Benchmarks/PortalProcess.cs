using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using FTLPortal.Testing;

namespace FTLPortal.Benchmarks;

/// <summary>
/// The real portal for bench/run.sh load: the Release build of src/FTLPortal.Web run with <c>dotnet</c> as its own process
/// (as the browser tests do), on a free loopback port with a fresh data folder. Disposing kills the process tree and
/// deletes the folder. Its memory is read from /proc/&lt;pid&gt;/status.
/// </summary>
internal sealed class PortalProcess : IAsyncDisposable
{
    public const string DemoPassword = "Bench-Load-Passw0rd";

    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(180);

    private readonly ConcurrentQueue<string> _output = new();
    private readonly Process _process;

    private PortalProcess(Process process, Uri baseAddress, string dataDirectory)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        _process.OutputDataReceived += (_, e) => Record(e.Data);
        _process.ErrorDataReceived += (_, e) => Record(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        // try/finally does not run when the benchmark itself is stopped (Ctrl+C, timeout's SIGTERM): kill the portal then too.
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
        Console.CancelKeyPress += KillOnExit;
    }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    public int ProcessId => _process.Id;

    /// <summary>The last lines the portal wrote, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>Starts the portal; <paramref name="settings"/> become environment variables (Portal__X style).</summary>
    public static async Task<PortalProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        // bench/run.sh load builds it.
        var build = PortalLaunch.FindWebBuild("Release", "dotnet build -c Release src/FTLPortal.Web first.");
        var port = PortalLaunch.FreeLoopbackPort();
        var baseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var dataDirectory = Path.Combine(Path.GetTempPath(), "ftl-bench-load-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);

        var start = PortalLaunch.StartInfo(build, "Production", baseAddress, dataDirectory, DemoPassword, signInAttemptsPerMinute: 100_000);
        // Console logging per request would be billed to the figures.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet");
        var portal = new PortalProcess(process, baseAddress, dataDirectory);
        try
        {
            await PortalLaunch.WaitUntilHealthyAsync(process, baseAddress, StartupTimeout, TimeSpan.FromSeconds(10), () => portal.Output);
            return portal;
        }
        catch
        {
            await portal.DisposeAsync();
            throw;
        }
    }

    /// <summary>A /proc/&lt;pid&gt;/status field in kB (VmRSS: resident now, VmHWM: peak resident since start or reset).</summary>
    public long ReadStatusKib(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{ProcessId.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var digits = line[(field.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(digits, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"{field} not in /proc/{ProcessId}/status");
    }

    /// <summary>Resets VmHWM to the current resident set (Linux ≥ 4.0: write 5 to clear_refs); false where not allowed.</summary>
    public bool TryResetPeakRss()
    {
        try
        {
            File.WriteAllText($"/proc/{ProcessId.ToString(CultureInfo.InvariantCulture)}/clear_refs", "5");
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        Console.CancelKeyPress -= KillOnExit;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder does not spoil the figures.
        }
    }

    private void KillOnExit(object? sender, EventArgs e)
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200)
        {
            _output.TryDequeue(out _);
        }
    }
}
