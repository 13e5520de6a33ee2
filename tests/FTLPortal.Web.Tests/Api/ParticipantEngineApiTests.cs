using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FTLPortal.Web.Tests.Support;

namespace FTLPortal.Web.Tests.Api;

/// <summary>
/// <c>GET /api/engines</c> and <c>parameters.participantEngines</c> of <c>POST /api/jobs/fine-tuning</c> on a portal with
/// two engines whose Fabrikam agent offers only <see cref="MirrorEngine"/> (the built-in engine's models under another
/// name, so a participant that trains with the wrong one fails the job: the agent refuses it).
/// </summary>
public sealed class ParticipantEngineApiTests(MixedEnginePortal portal) : IClassFixture<MixedEnginePortal>
{
    private PortalFactory Factory => portal.Factory;

    private object Parameters(object? participantEngines, string engine = "builtin", int rounds = 2) => new
    {
        baseModelId = portal.BaseModelId,
        targetDomainIds = new[] { portal.Contoso, portal.Fabrikam },
        rounds,
        localEpochs = 1,
        engine,
        participantEngines = participantEngines ?? new Dictionary<string, string>(),
    };

    private async Task<(HttpStatusCode Status, string? Detail, int Jobs)> PostAsync(object parameters)
    {
        using var scientist = await Factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        var before = (await scientist.GetFromJsonAsync<JsonElement>(new Uri("/api/jobs?kind=FineTuning", UriKind.Relative))).GetArrayLength();
        using var response = await scientist.PostAsJsonAsync(new Uri("/api/jobs/fine-tuning", UriKind.Relative), new { name = "mixed", parameters });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var after = (await scientist.GetFromJsonAsync<JsonElement>(new Uri("/api/jobs?kind=FineTuning", UriKind.Relative))).GetArrayLength();
        return (response.StatusCode, body.TryGetProperty("detail", out var d) ? d.GetString() : null, after - before);
    }

    [Fact]
    public async Task GetEngines_ListsThePortalsEnginesAndEveryPartnersOffer_ForADataScientist()
    {
        using var scientist = await Factory.CreateSignedInClientAsync(PortalFactory.Scientist);

        var answer = await scientist.GetFromJsonAsync<JsonElement>(new Uri("/api/engines", UriKind.Relative));

        Assert.Equal(["builtin", "mirror"], answer.GetProperty("engines").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.Equal("Mirror of the built-in engine (tests)", answer.GetProperty("engines")[1].GetProperty("version").GetString());
        var offers = answer.GetProperty("partners").EnumerateArray()
            .ToDictionary(p => p.GetProperty("partnerSlug").GetString()!, p => p.GetProperty("engines").EnumerateArray().Select(e => e.GetString()).ToList());
        Assert.Equal(["contoso", "fabrikam", "northwind"], offers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["builtin", "mirror"], offers["contoso"]);
        Assert.Equal(["mirror"], offers["fabrikam"]);
    }

    [Fact]
    public async Task GetEngines_ListsOnlyItsOwnPartner_ForAPartnerAdmin()
    {
        using var admin = await Factory.CreateSignedInClientAsync("fabrikam-admin@ftl.local");

        var answer = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/engines", UriKind.Relative));

        var partner = Assert.Single(answer.GetProperty("partners").EnumerateArray());
        Assert.Equal("Fabrikam Labs", partner.GetProperty("partnerName").GetString());
        Assert.Equal(["mirror"], partner.GetProperty("engines").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task PostFineTuning_Returns400NamingThePartner_WhenItsAgentLacksTheJobsEngineAndNoParticipantEngineIsGiven()
    {
        var (status, detail, jobs) = await PostAsync(Parameters(null));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("The agent of partner 'Fabrikam Labs' does not offer the training engine 'builtin' (it offers: mirror).", detail);
        Assert.Equal(0, jobs);
    }

    [Theory]
    [InlineData("initech", "mirror", "participantEngines names the partner 'initech', which does not exist (name a partner by its slug or id).")]
    [InlineData("northwind", "mirror", "participantEngines names the partner 'Northwind Health', which has no target domain in this job.")]
    [InlineData("fabrikam", "tensorflow", "There is no training engine 'tensorflow' here (asked for partner 'Fabrikam Labs'). Available: builtin, mirror.")]
    [InlineData("fabrikam", "builtin", "The agent of partner 'Fabrikam Labs' does not offer the training engine 'builtin' (it offers: mirror).")]
    [InlineData("fabrikam", " ", "participantEngines gives no engine for the partner 'Fabrikam Labs'.")]
    public async Task PostFineTuning_Returns400NamingPartnerAndEngine_WhenAParticipantEngineIsRefused(string partner, string engine, string expected)
    {
        var (status, detail, jobs) = await PostAsync(Parameters(new Dictionary<string, string> { [partner] = engine }));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(expected, detail);
        Assert.Equal(0, jobs);
    }

    [Fact]
    public async Task PostFineTuning_Returns400_WhenAPartnerIsNamedBySlugAndIdWithDifferentEngines()
    {
        var (status, detail, jobs) = await PostAsync(Parameters(new Dictionary<string, string>
        {
            ["contoso"] = "builtin",
            ["5d0c8a4e-1f0b-4b39-9a59-0a1c6e0b7a02"] = "mirror",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("names the partner 'Contoso Clinics' twice", detail, StringComparison.Ordinal);
        Assert.Equal(0, jobs);
    }

    [Fact]
    public async Task PostFineTuning_Returns400_WhenAParticipantEngineOtherThanBuiltInMeetsEarlyStopping()
    {
        var parameters = new
        {
            baseModelId = portal.BaseModelId,
            targetDomainIds = new[] { portal.Contoso, portal.Fabrikam },
            earlyStoppingPatience = 1,
            participantEngines = new Dictionary<string, string> { ["fabrikam"] = "mirror" },
        };

        var (status, detail, jobs) = await PostAsync(parameters);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Early stopping is offered with the built-in engine only: set its patience to 0 to train 'Fabrikam Labs' with 'mirror'.", detail);
        Assert.Equal(0, jobs);
    }

    [Fact]
    public async Task PostFineTuning_RunsAMixedJobToItsCard_WhenEachParticipantsAgentOffersItsEngine()
    {
        using var scientist = await Factory.CreateSignedInClientAsync(PortalFactory.Scientist);

        var job = await ScienceApi.FineTuneAsync(scientist, "mixed", Parameters(new Dictionary<string, string> { ["FABRIKAM"] = "Mirror" }));

        // Stored by partner id with the catalog's name; Contoso trains with the job's engine.
        var stored = job.GetProperty("parameters").GetProperty("ParticipantEngines");
        Assert.Equal("mirror", stored.GetProperty("5d0c8a4e-1f0b-4b39-9a59-0a1c6e0b7a03").GetString());
        var id = job.GetProperty("id").GetGuid();
        // An agent asked for an engine it lacks refuses, and the round drops that participant: none may be dropped here.
        var rounds = await scientist.GetFromJsonAsync<JsonElement>(new Uri($"/api/jobs/{id}/rounds", UriKind.Relative));
        Assert.Equal(4, rounds.GetArrayLength());
        Assert.All(rounds.EnumerateArray(), r => Assert.False(r.GetProperty("dropped").GetBoolean(), r.ToString()));
        var card = await scientist.GetFromJsonAsync<JsonElement>(new Uri($"/api/jobs/{id}/model-card.json", UriKind.Relative));
        var engines = card.GetProperty("partners").EnumerateArray().ToDictionary(p => p.GetProperty("partnerName").GetString()!, p => p.GetProperty("engine").GetString());
        Assert.Equal("builtin", engines["Contoso Clinics"]);
        Assert.Equal("mirror", engines["Fabrikam Labs"]);
        Assert.All(card.GetProperty("partners").EnumerateArray(), p => Assert.NotEqual(JsonValueKind.Null, p.GetProperty("federatedAccuracy").ValueKind));
        Assert.Equal("builtin", card.GetProperty("training").GetProperty("engineName").GetString());

        // A clone goes through the checks again with the stored map (keys are partner ids now) and keeps it.
        var clone = await ScienceApi.PostAsync(scientist, $"/api/jobs/{id}/clone", new { kind = "Now" });
        Assert.Equal("mirror", clone.GetProperty("parameters").GetProperty("ParticipantEngines").GetProperty("5d0c8a4e-1f0b-4b39-9a59-0a1c6e0b7a03").GetString());
        Assert.Equal("Completed", (await ScienceApi.WaitAsync(scientist, clone.GetProperty("id").GetGuid())).GetProperty("status").GetString());
    }
}
