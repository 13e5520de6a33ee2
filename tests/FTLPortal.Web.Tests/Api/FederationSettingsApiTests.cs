using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FTLPortal.Web.Tests.Support;

namespace FTLPortal.Web.Tests.Api;

public sealed class FederationSettingsApiTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private async Task<(HttpStatusCode Status, string? Detail, int Jobs)> PostAsync(object federation)
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        using var response = await scientist.PostAsJsonAsync(
            new Uri("/api/jobs/fine-tuning", UriKind.Relative), new { name = "fed", parameters = new { rounds = 2, federation } });
        var body = await response.Content.ReadAsStringAsync();
        string? detail = body.Length > 0 && body.TrimStart().StartsWith('{') && JsonDocument.Parse(body).RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
        var jobs = await scientist.GetFromJsonAsync<JsonElement>(new Uri("/api/jobs?kind=FineTuning", UriKind.Relative));
        return (response.StatusCode, detail, jobs.GetArrayLength());
    }

    [Fact]
    public async Task PostFineTuning_Returns400WithTheReason_WhenARobustStrategyAsksForSecureAggregation()
    {
        var (status, detail, jobs) = await PostAsync(new { strategy = "Krum", krumByzantine = 0, minParticipants = 3, secureAggregation = true });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("robust strategies (Median, TrimmedMean, Krum, MultiKrum) and secure aggregation exclude each other", detail, StringComparison.Ordinal);
        Assert.Equal(0, jobs);
    }

    [Theory]
    [InlineData("""{"strategy":"Median","privacy":{"noiseMultiplier":1.0}}""", "Differential privacy adds noise")]
    [InlineData("""{"privacy":{"noiseMultiplier":0}}""", "noise multiplier must be in (0, 100]")]
    [InlineData("""{"privacy":{"delta":1.5}}""", "δ must be in (0, 1)")]
    [InlineData("""{"strategy":"TrimmedMean","trimFraction":0.5}""", "trim fraction must be in (0, 0.5)")]
    [InlineData("""{"strategy":"Krum","krumByzantine":1,"minParticipants":2}""", "needs at least 4 updates in every round")]
    [InlineData("""{"strategy":"FedAdam","serverLearningRate":-1}""", "server learning rate must be in (0, 10]")]
    public async Task PostFineTuning_Returns400WithAClearMessage_WhenFederationSettingsAreInvalid(string federationJson, string expected)
    {
        var (status, detail, jobs) = await PostAsync(JsonDocument.Parse(federationJson).RootElement);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, detail, StringComparison.Ordinal);
        Assert.Equal(0, jobs);
    }

    [Fact]
    public async Task PostFineTuning_Returns400_WhenTheStrategyIsUnknown()
    {
        var (status, _, jobs) = await PostAsync(new { strategy = "FedMagic" });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(0, jobs);
    }
}
