using FTLPortal.Agent;
using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Remote;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.TestHost;

namespace FTLPortal.Web.Tests.Support;

/// <summary>
/// A partner's agent "at its site" for hub tests: the real <see cref="PortalDialer"/> of <c>FTLPortal.Agent serve</c> with an
/// in-process agent on its own temporary folder, dialling the in-memory portal over long polling.
/// </summary>
public sealed class SiteAgent : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringWriter _log = new();

    private SiteAgent(TestServer server, string key, Func<IFederatedAgent, IFederatedAgent>? wrap)
    {
        Agent = new InProcessAgent("site", Folder);
        var dispatcher = new AgentChannelDispatcher(wrap?.Invoke(Agent) ?? Agent, Path.Combine(Folder, "uploads"), new InProcessAgentOptions().MaxUploadBytes);
        var dialer = new PortalDialer(server.BaseAddress, key, dispatcher, TextWriter.Synchronized(_log))
        {
            ConfigureConnection = o =>
            {
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
            },
            Connected = () => _connected.TrySetResult(),
        };
        Run = dialer.RunAsync(_stop.Token);
    }

    /// <summary>The agent's private folder (its domains' files live here, never in the portal's data folder).</summary>
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "ftl-site-agent", Guid.NewGuid().ToString("N"));

    public InProcessAgent Agent { get; }

    /// <summary>The dialer's loop: ends with 0 when stopped, 3 when the portal refused the key.</summary>
    public Task<int> Run { get; }

    public string Log => _log.ToString();

    /// <summary>Starts the dialer and waits until it has connected and announced itself.</summary>
    public static async Task<SiteAgent> ConnectAsync(TestServer server, string key, Func<IFederatedAgent, IFederatedAgent>? wrap = null)
    {
        var agent = new SiteAgent(server, key, wrap);
        var first = await Task.WhenAny(agent._connected.Task, agent.Run).WaitAsync(TimeSpan.FromSeconds(30));
        if (first == agent.Run)
        {
            throw new InvalidOperationException($"The agent stopped before connecting (exit {await agent.Run}): {agent.Log}");
        }

        return agent;
    }

    /// <summary>Starts the dialer without waiting for a connection (for keys the portal refuses).</summary>
    public static SiteAgent Start(TestServer server, string key) => new(server, key, null);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Run.WaitAsync(TimeSpan.FromSeconds(30));
        _stop.Dispose();
        await _log.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort, as for the portal's own temporary folders.
        }
    }
}
