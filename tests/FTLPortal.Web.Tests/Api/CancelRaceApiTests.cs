using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FTLPortal.Core.Domains;
using FTLPortal.Web.Tests.Support;

namespace FTLPortal.Web.Tests.Api;

/// <summary>
/// Issue 10 finding 3 over HTTP: 40 schedule-then-cancel pairs. A 202 means the job ends Cancelled; otherwise 409 names
/// the state the job really ended in; never a 500.
/// </summary>
public sealed class CancelRaceApiTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const int Pairs = 40;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Cancel_Answers202OnlyForJobsThatEndCancelled_WhenSentRightAfterScheduling()
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        var domains = await scientist.GetFromJsonAsync<List<DomainListItem>>(new Uri("/api/domains", UriKind.Relative), Json) ?? [];
        var ids = domains.Select(d => d.Id).ToList();
        var outcomes = new List<(Guid Job, HttpStatusCode Status, string Body)>();
        for (var i = 0; i < Pairs; i++)
        {
            using var requested = await scientist.PostAsJsonAsync(new Uri("/api/similarity", UriKind.Relative), new { domainIds = ids });
            Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
            var jobId = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            // 0..90 ms: cancels land while queued, claimed, running and after the end.
            await Task.Delay(i % 10 * 10);
            using var cancel = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/jobs/{jobId}/cancel", UriKind.Relative));
            cancel.Headers.Add(FTLPortal.Web.Security.ApiForgeryGuard.HeaderName, "1");
            using var answer = await scientist.SendAsync(cancel);
            outcomes.Add((jobId, answer.StatusCode, await answer.Content.ReadAsStringAsync()));
        }

        Assert.All(outcomes, o => Assert.True(o.Status is HttpStatusCode.Accepted or HttpStatusCode.Conflict, $"cancel of {o.Job} answered {(int)o.Status}: {o.Body}"));
        foreach (var (job, status, body) in outcomes)
        {
            var ended = await WaitForEndAsync(scientist, job);
            if (status == HttpStatusCode.Accepted)
            {
                Assert.True(ended == "Cancelled", $"cancel of {job} answered 202, yet it ended {ended}");
            }
            else
            {
                Assert.Contains($"The job is {ended.ToUpperInvariant()}", body, StringComparison.Ordinal);
            }
        }
    }

    private static async Task<string> WaitForEndAsync(HttpClient client, Guid jobId)
    {
        // A generous bound only so a broken run fails instead of hanging; no timing is asserted.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            var job = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/jobs/{jobId}", UriKind.Relative));
            var status = job.GetProperty("status").GetString()!;
            if (status is "Completed" or "Failed" or "Cancelled")
            {
                return status;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"job {jobId} did not end");
    }
}
