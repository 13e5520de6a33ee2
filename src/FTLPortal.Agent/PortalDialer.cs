using System.Net;
using FTLPortal.Federation.Remote;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;

namespace FTLPortal.Agent;

/// <summary>
/// <c>serve</c>: dials out to the portal's agents hub with the partner's key (the partner opens no port), answers the
/// portal's calls with the partner's own agent, and dials again with back-off (1 s doubling to 60 s) whenever the
/// connection cannot be made or ends. A refused key (401) stops it: retrying would not help.
/// </summary>
public sealed class PortalDialer(Uri portal, string key, AgentChannelDispatcher dispatcher, TextWriter log)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(60);

    /// <summary>Test seam: adjusts the connection (e.g. an in-memory handler and long polling).</summary>
    public Action<HttpConnectionOptions>? ConfigureConnection { get; init; }

    /// <summary>Called after each successful connection and announcement (tests wait on it).</summary>
    public Action? Connected { get; init; }

    /// <summary>Runs until <paramref name="ct"/> fires (returns 0) or the portal refuses the key (returns 3).</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        await using var connection = Build();
        var delay = FirstDelay;
        while (!ct.IsCancellationRequested)
        {
            var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
            Task OnClosed(Exception? error)
            {
                closed.TrySetResult(error);
                return Task.CompletedTask;
            }

            connection.Closed += OnClosed;
            try
            {
                await connection.StartAsync(ct);
                await connection.InvokeAsync(AgentChannel.Announce, dispatcher.Announcement(AgentVersion), ct);
                await log.WriteLineAsync($"connected to {portal}");
                delay = FirstDelay;
                Connected?.Invoke();
                var error = await closed.Task.WaitAsync(ct);
                await log.WriteLineAsync($"connection to the portal ended{(error is null ? "" : ": " + error.Message)}");
            }
            catch (HttpRequestException ex) when (ex.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                await log.WriteLineAsync("the portal refused the agent key (unknown or revoked): create a new key on the portal's Agent keys page");
                return 3;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or System.Net.WebSockets.WebSocketException or InvalidOperationException or TimeoutException)
            {
                await log.WriteLineAsync($"cannot reach the portal ({ex.Message}); trying again in {delay.TotalSeconds:0} s");
            }
            finally
            {
                connection.Closed -= OnClosed;
            }

            if (connection.State != HubConnectionState.Disconnected)
            {
                await connection.StopAsync(CancellationToken.None);
            }

            try
            {
                await Task.Delay(delay, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestDelay.Ticks));
        }

        return 0;
    }

    private static string AgentVersion => typeof(PortalDialer).Assembly.GetName().Version?.ToString() ?? "0";

    private HubConnection Build()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(portal, AgentChannel.HubPath.TrimStart('/')), o =>
            {
                // A header (never the query string), so the key stays out of URLs and proxies' access logs.
                o.AccessTokenProvider = () => Task.FromResult<string?>(key);
                ConfigureConnection?.Invoke(o);
            })
            .Build();
        // Training calls take minutes; the portal keeps its own timeouts per call, the connection stays up meanwhile.
        connection.ServerTimeout = TimeSpan.FromMinutes(2);
        foreach (var method in AgentChannel.AgentMethods)
        {
            connection.On<string, AgentReply>(method, json => dispatcher.HandleAsync(method, json, CancellationToken.None));
        }

        return connection;
    }
}
