using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using FTLPortal.Federation.Remote;
using FTLPortal.Testing;

namespace FTLPortal.Browser.Tests.Agents;

/// <summary>
/// <c>FTLPortal.Agent serve</c> as its own process (built beside the tests) on a fresh folder, with the key in its environment.
/// Disposing kills it and deletes the folder.
/// </summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Process _process;

    public AgentProcess(Uri portal, string key)
    {
        Directory.CreateDirectory(Folder);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(AgentBuild());
        foreach (var argument in new[] { "serve", "--portal", portal.ToString(), "--data", Folder })
        {
            start.ArgumentList.Add(argument);
        }

        // The key is in the environment, not in the arguments (the process list).
        start.Environment[AgentChannel.KeyVariable] = key;
        start.Environment["DOTNET_NOLOGO"] = "1";
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet");
        _process.OutputDataReceived += (_, e) => Record(e.Data);
        _process.ErrorDataReceived += (_, e) => Record(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "ftl-agent-process", Guid.NewGuid().ToString("N"));

    public string Output => string.Join(Environment.NewLine, _output);

    public int ProcessId => _process.Id;

    /// <summary>Waits for the agent's "connected" line; fails with its output if it exits first.</summary>
    public async Task WaitUntilConnectedAsync()
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_connected.Task, exited).WaitAsync(TimeSpan.FromSeconds(60));
        if (first == exited)
        {
            throw new InvalidOperationException($"The agent exited with {_process.ExitCode} before connecting:{Environment.NewLine}{Output}");
        }
    }

    /// <summary>Kills the agent at once, as a crash or a lost site would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail the run.
        }
    }

    /// <summary>src/FTLPortal.Agent/bin/&lt;configuration&gt;/net10.0/FTLPortal.Agent.dll, as a partner would run it.</summary>
    private static string AgentBuild()
    {
        var configuration = typeof(AgentProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var web = PortalLaunch.FindWebBuild(configuration, $"build the solution ({configuration}) first.");
        var agent = Path.Combine(web.ProjectDirectory, "..", "FTLPortal.Agent", "bin", configuration, "net10.0", "FTLPortal.Agent.dll");
        return File.Exists(agent) ? Path.GetFullPath(agent) : throw new InvalidOperationException($"{agent} does not exist: build the solution ({configuration}) first.");
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (line.StartsWith("connected to ", StringComparison.Ordinal))
        {
            _connected.TrySetResult();
        }
    }
}
