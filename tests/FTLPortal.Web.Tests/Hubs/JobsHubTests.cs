using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using FTLPortal.Core.Jobs;
using FTLPortal.Web.Hubs;
using FTLPortal.Web.Tests.Support;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Web.Tests.Hubs;

/// <summary>The real hub through the SignalR .NET client, over long polling on the test server's in-memory handler.</summary>
public sealed class JobsHubTests : IClassFixture<PortalFactory>
{
    private static readonly int[] HiddenSizes = [8];
    private readonly PortalFactory _factory;

    public JobsHubTests(PortalFactory factory) => _factory = factory;

    [Fact]
    public async Task JobEvents_ReachInvolvedPartnerAndStaff_ButNotOtherPartners_OverRealHub()
    {
        await using var scientist = await ConnectAsync(PortalFactory.Scientist);
        await using var northwind = await ConnectAsync("northwind-admin@ftl.local");
        await using var contoso = await ConnectAsync("contoso-admin@ftl.local");

        var jobId = await RequestPretrainingOnNorthwindAsync();

        await scientist.WaitForAsync(e => e.JobId == jobId, TimeSpan.FromSeconds(30));
        await northwind.WaitForAsync(e => e.JobId == jobId && e.Kind == JobEventKind.StatusChanged && e.Status == JobStatus.Completed, TimeSpan.FromSeconds(60));
        // Both saw the job end; by then any event for Contoso would have been sent before it (one ordered stream per connection).
        await scientist.WaitForAsync(e => e.JobId == jobId && e.Status == JobStatus.Completed, TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(contoso.Received, e => e.JobId == jobId);
    }

    [Fact]
    public async Task SubscribeToJob_IsRefusedForAnotherPartnersJob_AndAcceptedForTheInvolvedPartner()
    {
        await using var northwind = await ConnectAsync("northwind-admin@ftl.local");
        await using var contoso = await ConnectAsync("contoso-admin@ftl.local");
        var jobId = await RequestPretrainingOnNorthwindAsync();

        var refused = await Assert.ThrowsAsync<HubException>(() => contoso.Connection.InvokeAsync("SubscribeToJob", jobId));
        Assert.Contains("not found", refused.Message, StringComparison.OrdinalIgnoreCase);

        await northwind.Connection.InvokeAsync("SubscribeToJob", jobId);
        await northwind.Connection.InvokeAsync("UnsubscribeFromJob", jobId);
    }

    [Fact]
    public async Task SubscribeToJob_SaysNotFound_ForAJobThatDoesNotExist()
    {
        await using var scientist = await ConnectAsync(PortalFactory.Scientist);

        var refused = await Assert.ThrowsAsync<HubException>(() => scientist.Connection.InvokeAsync("SubscribeToJob", Guid.NewGuid()));

        Assert.Contains("not found", refused.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Connect_IsRefused_WithoutSignIn()
    {
        await using var connection = Build(cookie: null);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(HubConnectionState.Disconnected, connection.State);
        Assert.NotNull(refused.Message);
    }

    [Fact]
    public async Task Connect_IsRefused_WithATamperedCookie()
    {
        var cookie = await SignInCookieAsync(PortalFactory.Scientist);
        await using var connection = Build(cookie[..^4] + "AAAA");

        await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
    }

    private async Task<Guid> RequestPretrainingOnNorthwindAsync()
    {
        using var api = await _factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        var domains = await api.GetFromJsonAsync<JsonElement>("/api/domains");
        var source = domains.EnumerateArray().First(d => d.GetProperty("name").GetString() == "northwind-registry").GetProperty("id").GetGuid();
        using var response = await api.PostAsJsonAsync("/api/models/pretrain", new { sourceDomainId = source, modelName = "hub-test", hiddenSizes = HiddenSizes, epochs = 2, learningRate = 0.01, batchSize = 32, seed = 1 });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<string> SignInCookieAsync(string email)
    {
        using var client = _factory.CreateAnonymousClient();
        using var response = await PortalFactory.PostSignInAsync(client, email, PortalFactory.DemoPassword);
        return string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
    }

    private async Task<ReceivingConnection> ConnectAsync(string email)
    {
        var connection = Build(await SignInCookieAsync(email));
        var received = new ReceivingConnection(connection);
        await connection.StartAsync();
        return received;
    }

    private HubConnection Build(string? cookie)
    {
        var server = _factory.Server; // starts the host
        return new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, JobsHub.Path.TrimStart('/')), o =>
            {
                // In memory: every request goes through the test server's handler; long polling is plain HTTP.
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                if (cookie is not null)
                {
                    o.Headers["Cookie"] = cookie;
                }
            })
            // Accepts enums as names or numbers, whichever the server writes.
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();
    }

    /// <summary>A connection with every <c>JobEvent</c> it receives, in order.</summary>
    private sealed class ReceivingConnection : IAsyncDisposable
    {
        private readonly List<JobEvent> _received = [];
        private readonly Channel<JobEvent> _arrivals = Channel.CreateUnbounded<JobEvent>();

        public ReceivingConnection(HubConnection connection)
        {
            Connection = connection;
            connection.On<JobEvent>(nameof(IJobsClient.JobEvent), e =>
            {
                lock (_received)
                {
                    _received.Add(e);
                }

                _arrivals.Writer.TryWrite(e);
            });
        }

        public HubConnection Connection { get; }

        public JobEvent[] Received
        {
            get
            {
                lock (_received)
                {
                    return [.. _received];
                }
            }
        }

        /// <summary>Waits for a matching event (one already received counts).</summary>
        public async Task<JobEvent> WaitForAsync(Func<JobEvent, bool> match, TimeSpan timeout)
        {
            if (Received.FirstOrDefault(match) is { } seen)
            {
                return seen;
            }

            using var cts = new CancellationTokenSource(timeout);
            try
            {
                while (true)
                {
                    var next = await _arrivals.Reader.ReadAsync(cts.Token);
                    if (match(next))
                    {
                        return next;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No matching job event within {timeout}; received: {string.Join(", ", Received.Select(e => $"{e.Kind}/{e.Status}"))}");
            }
        }

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }
}
