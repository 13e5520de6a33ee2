using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FTLPortal.Core.Operations;
using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Remote;
using FTLPortal.Infrastructure.Agents;
using FTLPortal.Infrastructure.Hosting;
using FTLPortal.Learning.Summaries;
using FTLPortal.Web.Security;
using FTLPortal.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Web.Tests.Hubs;

/// <summary>
/// /hubs/agents and <see cref="RemoteAgent"/> on the in-memory portal, with the agent program's own dialer as the partner's
/// site. Partner "remote-site" is configured remote; the demo partners stay in-process.
/// </summary>
public sealed class AgentsHubTests : IAsyncLifetime, IDisposable
{
    private const string Slug = "remote-site";
    private const string Csv = "x1,x2,label\n0.1,1.0,a\n0.2,0.9,b\n0.3,0.8,a\n0.4,0.7,b\n0.5,0.6,a\n0.6,0.5,b\n0.7,0.4,a\n0.8,0.3,b\n";

    private readonly PortalFactory _factory = new()
    {
        Settings = new Dictionary<string, string> { [$"Portal:Agents:{Slug}:Mode"] = "Remote" },
    };

    private Guid _partner;
    private HttpClient _partnerAdmin = null!;

    public async Task InitializeAsync()
    {
        var partners = await _factory.AddPartnersAsync((Slug, "Remote Site"));
        _partner = partners[0].Id;
        await _factory.SeedUsersAsync(partners);
        _partnerAdmin = await _factory.CreateSignedInClientAsync($"{Slug}-admin@ftl.local");
        _partnerAdmin.DefaultRequestHeaders.Add(ApiForgeryGuard.HeaderName, "1");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _partnerAdmin.Dispose();
        _factory.Dispose();
    }

    [Fact]
    public async Task Negotiate_Answers401_WhenTheKeyIsUnknown()
    {
        using var response = await NegotiateAsync("ftlak_" + new string('A', 43));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(_factory.Services.GetRequiredService<RemoteAgentConnections>().Of(_partner));
    }

    [Fact]
    public async Task Negotiate_Answers401_WhenTheKeyIsRevoked_AndTheDialerStopsWithExit3()
    {
        var (key, keyId) = await CreateKeyAsync();
        using (await RevokeAsync(keyId))
        {
        }

        using var response = await NegotiateAsync(key);
        await using var agent = SiteAgent.Start(_factory.Server, key);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(3, await agent.Run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("refused the agent key", agent.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Negotiate_Answers401_ForASignedInUsersCookieWithoutAKey()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{AgentChannel.HubPath}/negotiate?negotiateVersion=1", UriKind.Relative));

        using var response = await _partnerAdmin.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Upload_IsRegisteredByTheRemoteAgent_InItsOwnFolder_InChunks()
    {
        var (key, _) = await CreateKeyAsync();
        await using var site = await SiteAgent.ConnectAsync(_factory.Server, key);
        // Over one 1 MiB chunk, so the relay sends several pieces.
        var csv = new StringBuilder("x1,x2,label\n");
        for (var i = 0; csv.Length < (AgentChannel.UploadChunkBytes * 5 / 2); i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i % 97 / 97.0:F6},{i % 89 / 89.0:F6},{(i % 2 == 0 ? "a" : "b")}\n");
        }

        using var uploaded = await DomainUploads.UploadAsync(_partnerAdmin, "site rows", "label", csv.ToString(), _partner);

        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var domainId = (await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.True(File.Exists(Path.Combine(site.Folder, domainId + ".csv")));
        Assert.Equal(Encoding.UTF8.GetByteCount(csv.ToString()), new FileInfo(Path.Combine(site.Folder, domainId + ".csv")).Length);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(site.Folder, "uploads")));
        var portalAgents = _factory.Services.GetRequiredService<PortalPaths>().AgentsDirectory;
        Assert.False(Directory.Exists(Path.Combine(portalAgents, Slug)));
        var agent = _factory.Services.GetRequiredService<AgentDirectory>().For(_partner, Slug);
        Assert.True(await agent.HasDomainAsync(domainId, CancellationToken.None));
        var summary = await agent.GetSummaryAsync(domainId, new SummaryOptions(), CancellationToken.None);
        Assert.Equal(["x1", "x2"], summary.FeatureNames);
        Assert.Equal((await site.Agent.GetSummaryAsync(domainId, new SummaryOptions(), CancellationToken.None)).Rows, summary.Rows);
    }

    [Fact]
    public async Task Upload_AnswersTheAgentsMessage_AndStoresNothing_WhenTheCsvIsBad()
    {
        var (key, _) = await CreateKeyAsync();
        await using var site = await SiteAgent.ConnectAsync(_factory.Server, key);

        using var uploaded = await DomainUploads.UploadAsync(_partnerAdmin, "bad rows", "label", "x1,label\n1,a\nnot-a-number,b\n", _partner);

        Assert.Equal(HttpStatusCode.BadRequest, uploaded.StatusCode);
        Assert.Contains("not-a-number", await uploaded.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(site.Folder, "*.csv"));
        Assert.Empty(await _partnerAdmin.GetFromJsonAsync<JsonElement[]>(new Uri("/api/domains", UriKind.Relative)) ?? []);
    }

    [Fact]
    public async Task Upload_AnswersNotConnected_AndStoresNothing_WhenNoAgentIsConnected()
    {
        using var uploaded = await DomainUploads.UploadAsync(_partnerAdmin, "rows", "label", Csv, _partner);

        Assert.Equal(HttpStatusCode.BadRequest, uploaded.StatusCode);
        Assert.Contains($"The agent of partner '{Slug}' is not connected", await uploaded.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await _partnerAdmin.GetFromJsonAsync<JsonElement[]>(new Uri("/api/domains", UriKind.Relative)) ?? []);
    }

    [Fact]
    public async Task Call_FailsAsUnreachable_WhenTheConnectionDropsWhileTheAgentWorks()
    {
        var (key, keyId) = await CreateKeyAsync();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var site = await SiteAgent.ConnectAsync(_factory.Server, key, inner => new StallingAgent(inner, entered));
        var agent = _factory.Services.GetRequiredService<AgentDirectory>().For(_partner, Slug);

        var call = agent.HasDomainAsync("anything", CancellationToken.None);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // Revoking the key closes the connection from the portal's side, as a lost network would.
        using (await RevokeAsync(keyId))
        {
        }

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("agent unreachable", failure.Message, StringComparison.Ordinal);
        Assert.Null(_factory.Services.GetRequiredService<RemoteAgentConnections>().Of(_partner));
    }

    [Fact]
    public async Task Ops_ShowsTheRemoteAgentConnected_ThenDisconnected_AndDemoAgentsInProcess()
    {
        var (key, _) = await CreateKeyAsync();
        var ops = _factory.Services.GetRequiredService<IOpsOverview>();
        AgentHealth Remote(OpsSnapshot s) => s.Agents.Single(a => a.PartnerId == _partner);

        var before = Remote(await ops.LoadAsync(CancellationToken.None));
        await using (await SiteAgent.ConnectAsync(_factory.Server, key))
        {
            var connected = await ops.LoadAsync(CancellationToken.None);
            Assert.True(Remote(connected).IsRemote);
            Assert.True(Remote(connected).IsConnected);
            Assert.NotNull(Remote(connected).LastSeenAt);
            Assert.All(connected.Agents.Where(a => a.PartnerId != _partner), a => Assert.False(a.IsRemote));
        }

        await WaitUntilAsync(() => _factory.Services.GetRequiredService<RemoteAgentConnections>().Of(_partner) is null);
        var after = Remote(await ops.LoadAsync(CancellationToken.None));
        Assert.False(before.IsConnected);
        Assert.Null(before.DisconnectedAt);
        Assert.False(after.IsConnected);
        Assert.NotNull(after.DisconnectedAt);
        Assert.False(after.IsHealthy(DateTimeOffset.UtcNow, TimeSpan.FromHours(1)));
    }

    private async Task<HttpResponseMessage> NegotiateAsync(string key)
    {
        using var client = _factory.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{AgentChannel.HubPath}/negotiate?negotiateVersion=1", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await client.SendAsync(request);
    }

    private async Task<(string Key, Guid KeyId)> CreateKeyAsync()
    {
        using var created = await _partnerAdmin.PostAsJsonAsync(new Uri($"/api/partners/{_partner}/agent-keys", UriKind.Relative), new { name = "site" });
        created.EnsureSuccessStatusCode();
        var issued = await created.Content.ReadFromJsonAsync<JsonElement>();
        return (issued.GetProperty("secret").GetString()!, issued.GetProperty("key").GetProperty("id").GetGuid());
    }

    private Task<HttpResponseMessage> RevokeAsync(Guid keyId) =>
        _partnerAdmin.PostAsync(new Uri($"/api/partners/{_partner}/agent-keys/{keyId}/revoke", UriKind.Relative), JsonContent.Create(new { }));

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>An agent whose existence check never finishes (it says when it started), to drop the connection mid-call.</summary>
    private sealed class StallingAgent(IFederatedAgent inner, TaskCompletionSource entered) : IFederatedAgent
    {
        public string PartnerId => inner.PartnerId;

        public Task<DomainSummary> RegisterDomainAsync(string domainId, Stream csv, string labelColumn, SummaryOptions summaryOptions, CancellationToken ct) =>
            inner.RegisterDomainAsync(domainId, csv, labelColumn, summaryOptions, ct);

        public Task<DomainSummary> GetSummaryAsync(string domainId, SummaryOptions options, CancellationToken ct) => inner.GetSummaryAsync(domainId, options, ct);

        public async Task<bool> HasDomainAsync(string domainId, CancellationToken ct)
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return false;
        }

        public Task DeleteDomainAsync(string domainId, CancellationToken ct) => inner.DeleteDomainAsync(domainId, ct);

        public Task<PretrainResult> PretrainAsync(PretrainRequest request, IProgress<Learning.Training.EpochMetrics>? progress, CancellationToken ct) =>
            inner.PretrainAsync(request, progress, ct);

        public Task<ModelUpdate> TrainLocalAsync(LocalTrainingRequest request, CancellationToken ct) => inner.TrainLocalAsync(request, ct);

        public Task<Learning.Training.EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken ct) => inner.EvaluateAsync(request, ct);
    }
}
