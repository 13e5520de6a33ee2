using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FTLPortal.Infrastructure.Hosting;
using FTLPortal.Infrastructure.Jobs;
using FTLPortal.Infrastructure.Persistence;
using FTLPortal.Testing;
using FTLPortal.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FTLPortal.Web.Tests.Api;

/// <summary>
/// The per-partner domain cap and the per-user job cap hold when 20 requests arrive at once with one place left: exactly
/// one is accepted, every other one gets the cap's message and stores nothing. The cap's query is held a moment after it
/// runs, so without the guard every racer would count before any inserts.
/// </summary>
public sealed class ConcurrentCapApiTests
{
    private const int Racers = 20;
    private const string NorthwindAdmin = "northwind-admin@ftl.local";

    private static PortalFactory FactoryHolding(SlowQueryInterceptor slow) =>
        new() { TestServices = s => s.ConfigureDbContext<PortalDbContext>(o => o.AddInterceptors(slow)) };

    [Fact]
    public async Task PostDomain_AcceptsExactlyOne_When20UploadsRaceForTheLastPlace()
    {
        var slow = SlowQueryInterceptor.OnDomainsQuery();
        using var factory = FactoryHolding(slow);
        using var client = await factory.CreateSignedInClientAsync(NorthwindAdmin);
        var existing = (await client.GetFromJsonAsync<JsonElement>(new Uri("/api/domains", UriKind.Relative))).GetArrayLength();
        factory.Services.GetRequiredService<IOptions<PortalOptions>>().Value.MaxDomainsPerPartner = existing + 1;
        slow.Enabled = true;

        var responses = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i =>
            DomainUploads.UploadAsync(client, $"racer {i}", "label", "a,b,label\n1,2,x\n3,4,y\n5,6,x\n2,1,y\n")));
        try
        {
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            {
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
                Assert.Contains($"the most allowed ({existing + 1})", await DetailAsync(refused), StringComparison.Ordinal);
            }

            Assert.Equal(existing + 1, (await client.GetFromJsonAsync<JsonElement>(new Uri("/api/domains", UriKind.Relative))).GetArrayLength());
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task PostClone_AcceptsExactlyOne_When20RequestsRaceForTheUsersLastJobSlot()
    {
        const int limit = 3;
        var slow = SlowQueryInterceptor.OnJobCount();
        using var factory = FactoryHolding(slow);
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        var domains = await scientist.GetFromJsonAsync<JsonElement>(new Uri("/api/domains", UriKind.Relative));
        var ids = domains.EnumerateArray().Take(2).Select(d => d.GetProperty("id").GetGuid()).ToList();
        using var requested = await scientist.PostAsJsonAsync(new Uri("/api/similarity", UriKind.Relative), new { domainIds = ids });
        var source = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await WaitUntilFinishedAsync(scientist, source);
        factory.Services.GetRequiredService<IOptions<JobReliabilityOptions>>().Value.MaxActiveJobsPerUser = limit;
        // Clones due in an hour stay queued, and so keep counting, while the test runs.
        var later = new { kind = "At", runAt = DateTimeOffset.UtcNow.AddHours(1) };
        var clone = new Uri($"/api/jobs/{source}/clone", UriKind.Relative);
        for (var i = 0; i < limit - 1; i++)
        {
            using var held = await scientist.PostAsJsonAsync(clone, later);
            Assert.Equal(HttpStatusCode.Accepted, held.StatusCode);
        }

        slow.Enabled = true;
        var responses = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => scientist.PostAsJsonAsync(clone, later)));
        try
        {
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Accepted))
            {
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
                Assert.Contains($"the most one user may have at once ({limit})", await DetailAsync(refused), StringComparison.Ordinal);
            }

            var jobs = await scientist.GetFromJsonAsync<JsonElement>(new Uri("/api/jobs", UriKind.Relative));
            Assert.Equal(limit, jobs.EnumerateArray().Count(j => j.GetProperty("status").GetString() == "Queued"));
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    private static async Task WaitUntilFinishedAsync(HttpClient client, Guid jobId)
    {
        // A generous bound only so a broken run fails instead of hanging; no timing is asserted.
        for (var i = 0; i < 600; i++)
        {
            var job = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/jobs/{jobId}", UriKind.Relative));
            if (job.GetProperty("status").GetString() is "Completed" or "Failed" or "Cancelled")
            {
                Assert.Equal("Completed", job.GetProperty("status").GetString());
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Job {jobId} did not finish.");
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString() ?? "";
}
