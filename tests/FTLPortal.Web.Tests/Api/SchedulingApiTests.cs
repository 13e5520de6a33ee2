using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FTLPortal.Web.Tests.Support;

namespace FTLPortal.Web.Tests.Api;

public sealed class SchedulingApiTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task PostFineTuning_Returns400AndStoresNothing_WhenTheCronIsInvalid()
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);

        using var response = await scientist.PostAsJsonAsync(
            new Uri("/api/jobs/fine-tuning", UriKind.Relative),
            new { name = "weekly", parameters = new { rounds = 2 }, timing = new { kind = "Recurring", cron = "every monday", timeZoneId = "Europe/Paris" } });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var schedules = await scientist.GetFromJsonAsync<JsonElement>(new Uri("/api/jobs/schedules", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not a valid cron expression", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, schedules.GetArrayLength());
    }

    [Fact]
    public async Task PostFineTuning_Returns400_WhenTheTimeZoneIsUnknownOrTheTimeIsPast()
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);

        using var zone = await scientist.PostAsJsonAsync(
            new Uri("/api/jobs/fine-tuning", UriKind.Relative),
            new { parameters = new { rounds = 2 }, timing = new { kind = "Recurring", cron = "0 2 * * 1", timeZoneId = "Mars/Olympus" } });
        using var past = await scientist.PostAsJsonAsync(
            new Uri("/api/jobs/fine-tuning", UriKind.Relative),
            new { parameters = new { rounds = 2 }, timing = new { kind = "At", runAt = DateTimeOffset.UtcNow.AddHours(-2) } });

        Assert.Equal(HttpStatusCode.BadRequest, zone.StatusCode);
        Assert.Contains("Unknown time zone", (await zone.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Contains("in the past", (await past.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostRerun_Returns409_WhenTheJobHasNotFailed()
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        // Bodiless state-changing requests name themselves as the portal's own (the cross-site request guard).
        scientist.DefaultRequestHeaders.Add("X-FTL-Request", "1");
        var domains = await scientist.GetFromJsonAsync<JsonElement>(new Uri("/api/domains", UriKind.Relative));
        var ids = domains.EnumerateArray().Take(2).Select(d => d.GetProperty("id").GetGuid()).ToList();
        using var requested = await scientist.PostAsJsonAsync(new Uri("/api/similarity", UriKind.Relative), new { domainIds = ids });
        var jobId = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var rerun = await scientist.PostAsync(new Uri($"/api/jobs/{jobId}/rerun", UriKind.Relative), null);
        using var missing = await scientist.PostAsync(new Uri($"/api/jobs/{Guid.NewGuid()}/clone", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Conflict, rerun.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
