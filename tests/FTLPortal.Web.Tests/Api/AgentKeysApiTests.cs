using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FTLPortal.Core.Agents;
using FTLPortal.Core.Security;
using FTLPortal.Infrastructure.Agents;
using FTLPortal.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FTLPortal.Web.Tests.Api;

/// <summary>/api/partners/{id}/agent-keys on the real portal: Contoso's admin manages Contoso's keys; Northwind's admin sees none of them.</summary>
public sealed class AgentKeysApiTests : IAsyncLifetime, IDisposable
{
    private readonly CapturingLoggerProvider _logs = new();
    private readonly PortalFactory _portal = new();
    private readonly WebApplicationFactory<Program> _factory;
    private Guid _contoso;

    public AgentKeysApiTests() => _factory = _portal.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(_logs)));

    public async Task InitializeAsync()
    {
        using var admin = await SignInAsync(PortalFactory.Admin);
        var partners = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/admin/partners", UriKind.Relative));
        _contoso = partners.EnumerateArray().First(p => p.GetProperty("slug").GetString() == "contoso").GetProperty("id").GetGuid();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _factory.Dispose();
        _portal.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public async Task Create_ReturnsTheSecretOnce_AndTheListShowsOnlyItsPrefix()
    {
        using var client = await SignInAsync("contoso-admin@ftl.local");

        using var created = await client.PostAsJsonAsync(KeysUri(_contoso), new { name = "Contoso site A" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var issued = await created.Content.ReadFromJsonAsync<JsonElement>();
        var secret = issued.GetProperty("secret").GetString()!;
        var prefix = issued.GetProperty("key").GetProperty("prefix").GetString()!;
        Assert.StartsWith("ftlak_", secret, StringComparison.Ordinal);
        Assert.Equal(49, secret.Length);
        Assert.StartsWith(prefix, secret, StringComparison.Ordinal);

        var listed = await client.GetStringAsync(KeysUri(_contoso));
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(AgentKeySecret.Hash(secret), listed, StringComparison.Ordinal);
        var row = Assert.Single(JsonDocument.Parse(listed).RootElement.EnumerateArray());
        Assert.Equal("Contoso site A", row.GetProperty("name").GetString());
        Assert.Equal(prefix, row.GetProperty("prefix").GetString());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("revokedAt").ValueKind);
        Assert.False(row.TryGetProperty("secret", out _));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, l => l.Contains($"created agent key {prefix}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("site\u202Eevil")]
    public async Task Create_Answers400_AndStoresNothing_WhenTheNameIsBad(string name)
    {
        using var client = await SignInAsync("contoso-admin@ftl.local");

        using var created = await client.PostAsJsonAsync(KeysUri(_contoso), new { name });

        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.Contains("agent key", await created.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await client.GetFromJsonAsync<JsonElement[]>(KeysUri(_contoso)) ?? []);
    }

    [Fact]
    public async Task OtherPartnersAdmin_GetsNotFound_ForEveryActionOnAnotherPartnersKeys()
    {
        using var own = await SignInAsync("contoso-admin@ftl.local");
        using var created = await own.PostAsJsonAsync(KeysUri(_contoso), new { name = "Contoso site A" });
        var keyId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetProperty("id").GetGuid();
        using var other = await SignInAsync("northwind-admin@ftl.local");

        using var list = await other.GetAsync(KeysUri(_contoso));
        using var create = await other.PostAsJsonAsync(KeysUri(_contoso), new { name = "planted" });
        using var revoke = await other.PostAsync(new Uri($"{KeysUri(_contoso)}/{keyId}/revoke", UriKind.Relative), JsonContent.Create(new { }));

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound], new[] { list.StatusCode, create.StatusCode, revoke.StatusCode });
        var rows = await own.GetFromJsonAsync<JsonElement[]>(KeysUri(_contoso));
        var row = Assert.Single(rows!);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("revokedAt").ValueKind);
    }

    [Fact]
    public async Task Revoke_RecordsTheTime_AndTheKeyNoLongerAuthenticates()
    {
        using var client = await SignInAsync(PortalFactory.Admin);
        using var created = await client.PostAsJsonAsync(KeysUri(_contoso), new { name = "to revoke" });
        var issued = await created.Content.ReadFromJsonAsync<JsonElement>();
        var secret = issued.GetProperty("secret").GetString()!;
        var keyId = issued.GetProperty("key").GetProperty("id").GetGuid();
        var keys = _factory.Services.GetRequiredService<AgentKeyService>();
        Assert.Equal(_contoso, (await keys.AuthenticateAsync(secret, CancellationToken.None))?.PartnerId);

        using var revoked = await client.PostAsync(new Uri($"{KeysUri(_contoso)}/{keyId}/revoke", UriKind.Relative), JsonContent.Create(new { }));

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var row = await revoked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.String, row.GetProperty("revokedAt").ValueKind);
        Assert.Equal(JsonValueKind.String, row.GetProperty("lastUsedAt").ValueKind);
        Assert.Null(await keys.AuthenticateAsync(secret, CancellationToken.None));
    }

    [Fact]
    public async Task Create_LetsExactlyOneIn_WhenRequestsRaceForThePartnersLastPlace()
    {
        var keys = _factory.Services.GetRequiredService<AgentKeyService>();
        var admin = new PortalUserContext("admin", PortalFactory.Admin, new HashSet<string> { PortalRoles.Admin }, null);
        for (var i = 0; i < AgentKey.MaxPerPartner - 1; i++)
        {
            Assert.Null((await keys.CreateAsync(admin, _contoso, $"key {i}", CancellationToken.None)).Error);
        }

        var racing = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => keys.CreateAsync(admin, _contoso, $"racer {i}", CancellationToken.None))));

        Assert.Single(racing, r => r.Error is null);
        Assert.All(racing.Where(r => r.Error is not null), r => Assert.Contains($"at most {AgentKey.MaxPerPartner} agent keys", r.Error, StringComparison.Ordinal));
        Assert.Equal(AgentKey.MaxPerPartner, (await keys.ListAsync(admin, _contoso, CancellationToken.None)).Value!.Count);
    }

    private static string KeysUri(Guid partnerId) => $"/api/partners/{partnerId}/agent-keys";

    private async Task<HttpClient> SignInAsync(string email)
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Add(FTLPortal.Web.Security.ApiForgeryGuard.HeaderName, "1");
        using var response = await PortalFactory.PostSignInAsync(client, email, PortalFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }
}
