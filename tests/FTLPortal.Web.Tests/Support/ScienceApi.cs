using System.Net.Http.Json;
using System.Text.Json;
using FTLPortal.Core.Domains;
using FTLPortal.Web.Security;

namespace FTLPortal.Web.Tests.Support;

/// <summary>A data scientist's (or partner admin's) calls to the JSON API as a client makes them: posts with the CSRF header, waits on jobs.</summary>
public static class ScienceApi
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
        request.Headers.Add(ApiForgeryGuard.HeaderName, "1");
        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> WaitAsync(HttpClient client, Guid jobId)
    {
        ArgumentNullException.ThrowIfNull(client);
        // A generous bound only so a broken run fails instead of hanging; no timing is asserted.
        for (var i = 0; i < 1200; i++)
        {
            var job = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/jobs/{jobId}", UriKind.Relative));
            if (job.GetProperty("status").GetString() is "Completed" or "Failed" or "Cancelled")
            {
                return job;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Job {jobId} did not finish.");
    }

    public static async Task<List<DomainListItem>> DomainsAsync(HttpClient client) =>
        await client.GetFromJsonAsync<List<DomainListItem>>(new Uri("/api/domains", UriKind.Relative), Json) ?? [];

    /// <summary>Pre-trains a base model through the API and returns its id once the job has completed.</summary>
    public static async Task<Guid> PretrainAsync(HttpClient client, Guid sourceDomainId, object? hiddenSizes = null, int epochs = 2, string classWeighting = "None")
    {
        var requested = await PostAsync(client, "/api/models/pretrain", new { sourceDomainId, modelName = "m", hiddenSizes = hiddenSizes ?? Array.Empty<int>(), epochs, classWeighting });
        var job = await WaitAsync(client, requested.GetProperty("id").GetGuid());
        Assert.Equal("Completed", job.GetProperty("status").GetString());
        return job.GetProperty("result").GetProperty("BaseModelId").GetGuid();
    }

    /// <summary>Requests a fine-tuning job through the API and returns it once it has completed.</summary>
    public static async Task<JsonElement> FineTuneAsync(HttpClient client, string name, object parameters)
    {
        var requested = await PostAsync(client, "/api/jobs/fine-tuning", new { name, parameters });
        var job = await WaitAsync(client, requested.GetProperty("id").GetGuid());
        Assert.True(job.GetProperty("status").GetString() == "Completed", job.ToString());
        return job;
    }
}
