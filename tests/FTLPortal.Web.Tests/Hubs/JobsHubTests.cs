using System.Net.Http.Json;
using System.Text.Json;
using FTLPortal.Core.Domains;
using FTLPortal.Web.Tests.Support;

namespace FTLPortal.Web.Tests.Hubs;

public sealed class JobsHubTests : IClassFixture<PortalFactory>
{
    private static readonly int[] HiddenSizes = [8];
    private readonly PortalFactory _factory;

    public JobsHubTests(PortalFactory factory) => _factory = factory;

    private async Task<string> SignInCookieAsync(string email)
    {
        using var client = _factory.CreateAnonymousClient();
        using var response = await PortalFactory.PostSignInAsync(client, email, PortalFactory.DemoPassword);
        var cookies = response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]);
        return string.Join("; ", cookies);
    }

    private static bool IsEventOf(JsonElement message, Guid jobId) =>
        message.TryGetProperty("type", out var type) && type.GetInt32() == 1
        && message.GetProperty("target").GetString() == "JobEvent"
        && message.GetProperty("arguments")[0].GetProperty("jobId").GetGuid() == jobId;

    [Fact]
    public async Task JobEvents_ReachInvolvedPartnerAndStaff_ButNotOtherPartners_OverRealHub()
    {
        _ = _factory.Server; // starts the host
        await using var scientist = await SignalRJsonClient.ConnectAsync(_factory.Server, "/hubs/jobs", await SignInCookieAsync(PortalFactory.Scientist));
        await using var northwind = await SignalRJsonClient.ConnectAsync(_factory.Server, "/hubs/jobs", await SignInCookieAsync("northwind-admin@ftl.local"));
        await using var contoso = await SignalRJsonClient.ConnectAsync(_factory.Server, "/hubs/jobs", await SignInCookieAsync("contoso-admin@ftl.local"));

        using var api = await _factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        var domains = await api.GetFromJsonAsync<JsonElement>("/api/domains");
        var source = domains.EnumerateArray().First(d => d.GetProperty("name").GetString() == "northwind-registry").GetProperty("id").GetGuid();
        using var response = await api.PostAsJsonAsync("/api/models/pretrain", new { sourceDomainId = source, modelName = "hub-test", hiddenSizes = HiddenSizes, epochs = 2, learningRate = 0.01, batchSize = 32, seed = 1 });
        response.EnsureSuccessStatusCode();
        var jobId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        await scientist.WaitForAsync(m => IsEventOf(m, jobId), TimeSpan.FromSeconds(30));
        await northwind.WaitForAsync(m => IsEventOf(m, jobId) && m.GetProperty("arguments")[0].GetProperty("status").ToString() is "Completed" or "3", TimeSpan.FromSeconds(60));
        Assert.DoesNotContain(contoso.Messages, m => IsEventOf(m, jobId));

        var refused = await contoso.InvokeAsync("SubscribeToJob", jobId);
        Assert.True(refused.TryGetProperty("error", out var error), refused.GetRawText());
        Assert.Contains("not found", error.GetString(), StringComparison.OrdinalIgnoreCase);
        var accepted = await northwind.InvokeAsync("SubscribeToJob", jobId);
        Assert.False(accepted.TryGetProperty("error", out _), accepted.GetRawText());
    }

    [Fact]
    public async Task Connect_IsRefused_WithoutSignIn()
    {
        _ = _factory.Server;
        await Assert.ThrowsAnyAsync<Exception>(() => SignalRJsonClient.ConnectAsync(_factory.Server, "/hubs/jobs", ""));
    }
}
