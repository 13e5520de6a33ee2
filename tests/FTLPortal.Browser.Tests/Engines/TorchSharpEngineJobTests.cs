using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using FTLPortal.Browser.Tests.Support;

namespace FTLPortal.Browser.Tests.Engines;

/// <summary>
/// The TorchSharp engine in the real portal process: the Web build's output loads it as a plug-in from
/// engines/torchsharp/ (this test folder holds no libtorch), a fine-tuning job chosen with it runs through the in-process
/// agents, and its model card names its versions. Fabrikam's agent is configured to offer the built-in engine only.
/// No browser: the API is enough.
/// </summary>
public sealed partial class TorchSharpEngineJobTests : IAsyncLifetime
{
    private const string TorchSharpVersion = "TorchSharp 0.107.0 / libtorch 2.10.0";

    private static readonly int[] HiddenSizes = [8];

    private readonly PortalServer _portal = new();
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _portal.ExtraEnvironment["Portal__Agents__fabrikam__Engines"] = "builtin";
        _portal.ExtraEnvironment["Portal__Engines__Threads"] = "1";
        await _portal.InitializeAsync();
        _http = await SignInAsync();
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        await _portal.DisposeAsync();
    }

    [Fact]
    public async Task FineTuningJob_CompletesWithTorchSharp_AndItsCardNamesTheEngineVersions()
    {
        Assert.Contains($"torchsharp ({TorchSharpVersion})", _portal.Output, StringComparison.Ordinal);
        var (source, targets) = await DomainsAsync();
        var baseModel = await PretrainAsync(source);

        using var response = await _http.PostAsJsonAsync(new Uri("/api/jobs/fine-tuning", UriKind.Relative), new
        {
            name = "torch",
            parameters = new { baseModelId = baseModel, targetDomainIds = new[] { targets["contoso-outpatients"] }, rounds = 2, localEpochs = 1, engine = "torchsharp" },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var job = await FinishedAsync((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());

        Assert.True(job.GetProperty("status").GetString() == "Completed", job.ToString());
        var id = job.GetProperty("id").GetGuid();
        var markdown = await _http.GetStringAsync(new Uri($"/api/jobs/{id}/model-card.md", UriKind.Relative));
        Assert.Contains($"engine: {TorchSharpVersion}", markdown, StringComparison.Ordinal);
        Assert.Contains($"- Training engine: torchsharp ({TorchSharpVersion}).", markdown, StringComparison.Ordinal);
        using var card = JsonDocument.Parse(await _http.GetStringAsync(new Uri($"/api/jobs/{id}/model-card.json", UriKind.Relative)));
        Assert.Equal(TorchSharpVersion, card.RootElement.GetProperty("training").GetProperty("engine").GetString());
        Assert.Equal("torchsharp", card.RootElement.GetProperty("training").GetProperty("engineName").GetString());
    }

    [Fact]
    public async Task FineTuningRequest_IsRefusedNamingThePartner_WhoseAgentLacksTheEngine()
    {
        var (source, targets) = await DomainsAsync();
        var baseModel = await PretrainAsync(source);

        using var response = await _http.PostAsJsonAsync(new Uri("/api/jobs/fine-tuning", UriKind.Relative), new
        {
            name = "refused",
            parameters = new { baseModelId = baseModel, targetDomainIds = new[] { targets["contoso-outpatients"], targets["fabrikam-screening"] }, engine = "torchsharp" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Equal("The agent of partner 'Fabrikam Labs' does not offer the training engine 'torchsharp' (it offers: builtin).", detail);
        using var jobs = JsonDocument.Parse(await _http.GetStringAsync(new Uri("/api/jobs?kind=FineTuning", UriKind.Relative)));
        Assert.Equal(0, jobs.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task MixedFineTuningJob_CompletesWithBothEngines_WhenTheRequestGivesFabrikamTheBuiltInEngine()
    {
        var (source, targets) = await DomainsAsync();
        var baseModel = await PretrainAsync(source);

        using var response = await _http.PostAsJsonAsync(new Uri("/api/jobs/fine-tuning", UriKind.Relative), new
        {
            name = "mixed",
            parameters = new
            {
                baseModelId = baseModel,
                targetDomainIds = new[] { targets["contoso-outpatients"], targets["fabrikam-screening"] },
                rounds = 2,
                localEpochs = 1,
                engine = "torchsharp",
                participantEngines = new Dictionary<string, string> { ["fabrikam"] = "builtin" },
            },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var job = await FinishedAsync((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());

        Assert.True(job.GetProperty("status").GetString() == "Completed", job.ToString());
        var id = job.GetProperty("id").GetGuid();
        // Fabrikam's agent refuses TorchSharp: had it been asked, its rounds would show as dropped.
        using var rounds = JsonDocument.Parse(await _http.GetStringAsync(new Uri($"/api/jobs/{id}/rounds", UriKind.Relative)));
        Assert.Equal(4, rounds.RootElement.GetArrayLength());
        Assert.All(rounds.RootElement.EnumerateArray(), r => Assert.False(r.GetProperty("dropped").GetBoolean(), r.ToString()));
        var markdown = await _http.GetStringAsync(new Uri($"/api/jobs/{id}/model-card.md", UriKind.Relative));
        Assert.Contains($"Contoso Clinics (contoso-outpatients) torchsharp ({TorchSharpVersion})", markdown, StringComparison.Ordinal);
        Assert.Contains("Fabrikam Labs (fabrikam-screening) builtin (FTLPortal.Learning ", markdown, StringComparison.Ordinal);
    }

    private async Task<(Guid Source, Dictionary<string, Guid> Targets)> DomainsAsync()
    {
        using var domains = JsonDocument.Parse(await _http.GetStringAsync(new Uri("/api/domains", UriKind.Relative)));
        var byName = domains.RootElement.EnumerateArray().ToDictionary(d => d.GetProperty("name").GetString()!, d => d.GetProperty("id").GetGuid());
        return (byName["northwind-registry"], byName);
    }

    private async Task<Guid> PretrainAsync(Guid source)
    {
        using var response = await _http.PostAsJsonAsync(new Uri("/api/models/pretrain", UriKind.Relative), new { sourceDomainId = source, modelName = "torch-base", hiddenSizes = HiddenSizes, epochs = 2 });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var job = await FinishedAsync((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        Assert.True(job.GetProperty("status").GetString() == "Completed", job.ToString());
        return job.GetProperty("result").GetProperty("BaseModelId").GetGuid();
    }

    private async Task<JsonElement> FinishedAsync(Guid jobId)
    {
        // A bound only so a broken run fails instead of hanging; no timing is asserted.
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var job = await _http.GetFromJsonAsync<JsonElement>(new Uri($"/api/jobs/{jobId}", UriKind.Relative));
            if (job.GetProperty("status").GetString() is "Completed" or "Failed" or "Cancelled" || clock.Elapsed > TimeSpan.FromMinutes(5))
            {
                return job;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The demo scientist, signed in through the sign-in form; API calls carry the portal's CSRF header.</summary>
    private async Task<HttpClient> SignInAsync()
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = _portal.BaseAddress };
        http.DefaultRequestHeaders.Add("X-FTL-Request", "1");
        var page = await http.GetStringAsync(new Uri("/account/signin", UriKind.Relative));
        var form = new Dictionary<string, string>();
        foreach (var tag in InputTag().Matches(page).Select(m => m.Value).Where(t => t.Contains("type=\"hidden\"", StringComparison.Ordinal)))
        {
            form[Attribute(tag, "name")] = WebUtility.HtmlDecode(Attribute(tag, "value"));
        }

        form["Input.Email"] = "scientist@ftl.local";
        form["Input.Password"] = PortalServer.DemoPassword;
        using var body = new FormUrlEncodedContent(form);
        using var signedIn = await http.PostAsync(new Uri("/account/signin", UriKind.Relative), body);
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, $"sign-in answered {(int)signedIn.StatusCode}");
        return http;
    }

    private static string Attribute(string tag, string name) =>
        Regex.Match(tag, $"\\b{name}=\"([^\"]*)\"", RegexOptions.CultureInvariant).Groups[1].Value;

    // The antiforgery token is a hidden input of the sign-in form.
    [GeneratedRegex("<input[^>]*>")]
    private static partial Regex InputTag();
}
