using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using FTLPortal.Browser.Tests.Support;
using FTLPortal.Learning.Data;
using FTLPortal.Web.Security;
using FTLPortal.Web.Tests.Support;

namespace FTLPortal.Browser.Tests.Agents;

/// <summary>
/// Distributed agents end to end, each program its own process: the portal with Contoso configured remote, and Contoso's
/// <c>FTLPortal.Agent serve</c> dialling in with a key its admin created. Northwind and Fabrikam stay in the portal.
/// </summary>
public sealed partial class RemoteAgentProcessTests : IAsyncLifetime
{
    private static readonly int[] HiddenSizes = [16];
    private readonly PortalServer _portal = new();

    public async Task InitializeAsync()
    {
        _portal.ExtraEnvironment["Portal__Agents__contoso__Mode"] = "Remote";
        await _portal.InitializeAsync();
    }

    public Task DisposeAsync() => _portal.DisposeAsync();

    [Fact]
    public async Task FineTuning_CompletesWithTheRemotePartner_AndGoesOnWithoutIt_WhenItsAgentProcessIsKilledMidJob()
    {
        using var admin = await SignInAsync("admin@ftl.local");
        using var contosoAdmin = await SignInAsync("contoso-admin@ftl.local");
        using var scientist = await SignInAsync("scientist@ftl.local");
        var partners = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/admin/partners", UriKind.Relative));
        var contoso = partners.EnumerateArray().Single(p => p.GetProperty("slug").GetString() == "contoso").GetProperty("id").GetGuid();
        var key = (await ScienceApi.PostAsync(contosoAdmin, $"/api/partners/{contoso}/agent-keys", new { name = "contoso site" })).GetProperty("secret").GetString()!;

        await using var agent = new AgentProcess(_portal.BaseAddress, key);
        await agent.WaitUntilConnectedAsync();
        Assert.DoesNotContain(key, _portal.Output, StringComparison.Ordinal);
        // Contoso's own rows, registered through its agent (the seeder leaves a remote partner's data to the partner).
        var contosoDomain = await UploadAsync(contosoAdmin, "contoso-outpatients", new SyntheticDomainOptions { Rows = 400, Seed = 202, Noise = 1.2, CovariateShift = 1.0 });
        Assert.True(File.Exists(Path.Combine(agent.Folder, contosoDomain + ".csv")), agent.Output);
        Assert.False(Directory.Exists(Path.Combine(_portal.DataDirectory, "agents", "contoso")));
        using (var consent = await contosoAdmin.PutAsJsonAsync(new Uri($"/api/domains/{contosoDomain}/consent", UriKind.Relative), new { similarity = true, training = true }))
        {
            Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        }

        var domains = await scientist.GetFromJsonAsync<JsonElement>(new Uri("/api/domains", UriKind.Relative));
        Guid IdOf(string name) => domains.EnumerateArray().Single(d => d.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();
        var pretraining = await ScienceApi.PostAsync(scientist, "/api/models/pretrain", new { sourceDomainId = IdOf("northwind-registry"), modelName = "remote-base", hiddenSizes = HiddenSizes, epochs = 2 });
        var model = (await ScienceApi.WaitAsync(scientist, pretraining.GetProperty("id").GetGuid())).GetProperty("result").GetProperty("BaseModelId").GetGuid();
        Guid[] targets = [contosoDomain, IdOf("fabrikam-screening")];

        // All three rounds with the remote partner taking part.
        var first = await ScienceApi.PostAsync(scientist, "/api/jobs/fine-tuning", new { name = "with remote", parameters = new { baseModelId = model, targetDomainIds = targets, rounds = 3, localEpochs = 1 } });
        var firstJob = await ScienceApi.WaitAsync(scientist, first.GetProperty("id").GetGuid());
        Assert.True(firstJob.GetProperty("status").GetString() == "Completed", firstJob.ToString());
        var firstRounds = await RoundsAsync(scientist, firstJob);
        Assert.Equal([1, 2, 3], firstRounds.Where(r => r.Partner == "Contoso Clinics" && !r.Dropped).Select(r => r.Round).Order());
        Assert.Equal([1, 2, 3], firstRounds.Where(r => r.Partner == "Fabrikam Labs" && !r.Dropped).Select(r => r.Round).Order());

        // The agent process dies once the second job's first round is in: the job drops Contoso and completes with Fabrikam.
        var second = await ScienceApi.PostAsync(scientist, "/api/jobs/fine-tuning", new { name = "agent dies", parameters = new { baseModelId = model, targetDomainIds = targets, rounds = 12, localEpochs = 3 } });
        var secondId = second.GetProperty("id").GetGuid();
        await WaitForRoundAsync(scientist, secondId, 1);
        await agent.KillAsync();
        var secondJob = await ScienceApi.WaitAsync(scientist, secondId);

        Assert.True(secondJob.GetProperty("status").GetString() == "Completed", secondJob.ToString());
        var secondRounds = await RoundsAsync(scientist, secondJob);
        var contosoRounds = secondRounds.Where(r => r.Partner == "Contoso Clinics").ToList();
        Assert.Contains(contosoRounds, r => r.Round == 1 && !r.Dropped);
        Assert.True(contosoRounds.Single(r => r.Round == 12).Dropped, string.Join("; ", contosoRounds));
        Assert.All(secondRounds.Where(r => r.Partner == "Fabrikam Labs"), r => Assert.False(r.Dropped));
        Assert.Equal(12, secondRounds.Where(r => r.Partner == "Fabrikam Labs").Select(r => r.Round).Distinct().Count());
    }

    private async Task<HttpClient> SignInAsync(string email)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = _portal.BaseAddress,
        };
        var page = await client.GetStringAsync(new Uri("/account/signin", UriKind.Relative));
        var fields = HiddenInput().Matches(page).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["Input.Email"] = email;
        fields["Input.Password"] = PortalServer.DemoPassword;
        using var form = new FormUrlEncodedContent(fields);
        using var response = await client.PostAsync(new Uri("/account/signin", UriKind.Relative), form);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-in as {email}: {(int)response.StatusCode}");
        return client;
    }

    private static async Task<Guid> UploadAsync(HttpClient client, string name, SyntheticDomainOptions options)
    {
        using var csv = new MemoryStream();
        CsvDatasetWriter.Write(SyntheticDomains.Generate(options), csv);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(name), "name" },
            { new StringContent("label"), "labelColumn" },
        };
        var file = new ByteArrayContent(csv.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", name + ".csv");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/domains", UriKind.Relative)) { Content = form };
        request.Headers.Add(ApiForgeryGuard.HeaderName, "1");
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task WaitForRoundAsync(HttpClient client, Guid jobId, int round)
    {
        for (var i = 0; i < 12000; i++)
        {
            var rounds = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/jobs/{jobId}/rounds", UriKind.Relative));
            if (rounds.EnumerateArray().Any(r => r.GetProperty("round").GetInt32() >= round))
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"Job {jobId} did not reach round {round}.");
    }

    private static async Task<List<(int Round, string Partner, bool Dropped)>> RoundsAsync(HttpClient client, JsonElement job)
    {
        var rounds = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/jobs/{job.GetProperty("id").GetGuid()}/rounds", UriKind.Relative));
        return rounds.EnumerateArray()
            .Select(r => (r.GetProperty("round").GetInt32(), r.GetProperty("partnerName").GetString()!, r.GetProperty("dropped").GetBoolean()))
            .ToList();
    }

    [GeneratedRegex("""<input[^>]*type="hidden"[^>]*name="(?<name>[^"]+)"[^>]*value="(?<value>[^"]*)"[^>]*>""")]
    private static partial Regex HiddenInput();
}
