using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using FTLPortal.Browser.Tests.Support;
using FTLPortal.Learning.Serialization;

namespace FTLPortal.Browser.Tests.Jobs;

/// <summary>
/// Issue 6's restart safety, on the real portal process: a fine-tuning job whose process is killed mid-job (no graceful
/// stop) finishes after a restart on the same data folder, every round recorded once, with the same final weights as an
/// uninterrupted run of the same job.
/// </summary>
public sealed partial class RestartSafetyTests
{
    private const int Rounds = 6;

    private static readonly int[] HiddenSizes = [16];

    // The kill lands anywhere: also after a worker fetched the next round's step but before it moved to Processing, while
    // a worker held a step's state lock, or between reserving the next round and queuing it. Start-up recovery releases
    // all three (HangfireStartupRecoveryTests covers each without a browser).
    [Fact]
    public async Task FineTuningJob_FinishesWithSameWeightsAndEachRoundOnce_WhenPortalProcessIsKilledMidJob()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "ftl-browser-tests", "restart-" + Guid.NewGuid().ToString("N"));
        try
        {
            Guid killedJob;
            Guid referenceJob;
            var first = new PortalServer(dataDirectory, ownsDataDirectory: false);
            await using (new DisposeOnExit(first))
            {
                await first.InitializeAsync();
                using var http = await SignInAsync(first.BaseAddress);
                var domains = await DomainIdsAsync(http);
                var baseModel = await PretrainAsync(http, domains[0]);
                var parameters = new { baseModelId = baseModel, targetDomainIds = domains, rounds = Rounds, localEpochs = 3, seed = 11 };

                // The uninterrupted run first, so the killed job has the node to itself when it is killed.
                referenceJob = await RequestFineTuningAsync(http, "reference", parameters);
                var reference = await WaitForAsync(http, referenceJob, j => IsFinished(j));
                Assert.Equal("Completed", reference.GetProperty("status").GetString());

                killedJob = await RequestFineTuningAsync(http, "killed", parameters);
                var before = await WaitForAsync(http, killedJob, j => IsFinished(j) || j.GetProperty("currentRound").GetInt32() >= 1);
                Assert.False(IsFinished(before), "the job finished before it could be killed: make its rounds longer");
                await first.KillAsync();
            }

            var second = new PortalServer(dataDirectory, ownsDataDirectory: false);
            await using (new DisposeOnExit(second))
            {
                await second.InitializeAsync();
                using var http = await SignInAsync(second.BaseAddress);
                JsonElement done;
                try
                {
                    done = await WaitForAsync(http, killedJob, j => IsFinished(j));
                }
                catch (TimeoutException e)
                {
                    // What the restarted portal logged says why the job did not resume.
                    var output = second.Output;
                    throw new TimeoutException(e.Message + Environment.NewLine + "Restarted portal's output (end):" + Environment.NewLine + output[Math.Max(0, output.Length - 20_000)..], e);
                }

                Assert.True(done.GetProperty("status").GetString() == "Completed", done.GetProperty("error").ToString());
                Assert.True(done.GetProperty("attempts").GetInt32() >= 2, "the job was not resumed after the kill");

                using var rounds = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/jobs/{killedJob}/rounds", UriKind.Relative)));
                var recorded = rounds.RootElement.EnumerateArray()
                    .Select(r => (Round: r.GetProperty("round").GetInt32(), Partner: r.GetProperty("partnerId").GetGuid()))
                    .ToList();
                // Every round, each partner's metric exactly once: no round lost, none recorded twice by the re-run.
                Assert.Equal(Enumerable.Range(1, Rounds), recorded.Select(r => r.Round).Distinct().Order());
                Assert.Equal(recorded.Count, recorded.Distinct().Count());
                var partners = recorded.Select(r => r.Partner).Distinct().Count();
                Assert.All(recorded.GroupBy(r => r.Round), g => Assert.Equal(partners, g.Count()));

                var resumedWeights = await http.GetByteArrayAsync(new Uri($"/api/jobs/{killedJob}/weights.safetensors", UriKind.Relative));
                var referenceWeights = await http.GetByteArrayAsync(new Uri($"/api/jobs/{referenceJob}/weights.safetensors", UriKind.Relative));
                Assert.NotEmpty(resumedWeights);
                // Each file's metadata names its own job's model ("<base>-ft-<job id>"), so the files differ there by design;
                // the tensors, and the hash the card publishes, must agree bit for bit.
                Assert.True(TensorBytes(referenceWeights).AsSpan().SequenceEqual(TensorBytes(resumedWeights)), "final tensors differ from the uninterrupted run");
                Assert.Equal(await CardWeightsHashAsync(http, referenceJob), await CardWeightsHashAsync(http, killedJob));
            }
        }
        finally
        {
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temp folder must not fail the run.
            }
        }
    }

    private static byte[] TensorBytes(byte[] safetensors) => SafeTensorsFormat.ToBytes(SafeTensorsFormat.FromBytes(safetensors));

    private static async Task<string?> CardWeightsHashAsync(HttpClient http, Guid jobId)
    {
        using var card = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/jobs/{jobId}/model-card.json", UriKind.Relative)));
        return card.RootElement.GetProperty("weights").GetProperty("weightsSha256").GetString();
    }

    private static bool IsFinished(JsonElement job) => job.GetProperty("status").GetString() is "Completed" or "Failed" or "Cancelled";

    /// <summary>Signs in as the demo scientist through the real sign-in form; the client keeps the cookie and marks its API calls.</summary>
    private static async Task<HttpClient> SignInAsync(Uri baseAddress)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = baseAddress };
        // State-changing /api requests need JSON or this header (the portal's CSRF rule).
        http.DefaultRequestHeaders.Add("X-FTL-Request", "1");
        var form = await http.GetStringAsync(new Uri("/account/signin", UriKind.Relative));
        var fields = HiddenInput().Matches(form).ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["Input.Email"] = "scientist@ftl.local";
        fields["Input.Password"] = PortalServer.DemoPassword;
        using var content = new FormUrlEncodedContent(fields);
        using var response = await http.PostAsync(new Uri("/account/signin", UriKind.Relative), content);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-in answered {(int)response.StatusCode}");
        return http;
    }

    private static async Task<List<Guid>> DomainIdsAsync(HttpClient http)
    {
        using var domains = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/domains", UriKind.Relative)));
        return domains.RootElement.EnumerateArray().Select(d => d.GetProperty("id").GetGuid()).ToList();
    }

    private static async Task<Guid> PretrainAsync(HttpClient http, Guid sourceDomain)
    {
        using var response = await http.PostAsJsonAsync(new Uri("/api/models/pretrain", UriKind.Relative), new { sourceDomainId = sourceDomain, modelName = "restart", hiddenSizes = HiddenSizes, epochs = 2 });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var jobId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var job = await WaitForAsync(http, jobId, j => IsFinished(j));
        Assert.Equal("Completed", job.GetProperty("status").GetString());
        using var models = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/models", UriKind.Relative)));
        return models.RootElement.EnumerateArray().First(m => m.TryGetProperty("pretrainingJobId", out var p) && p.ValueKind == JsonValueKind.String && p.GetGuid() == jobId).GetProperty("id").GetGuid();
    }

    private static async Task<Guid> RequestFineTuningAsync(HttpClient http, string name, object parameters)
    {
        using var response = await http.PostAsJsonAsync(new Uri("/api/jobs/fine-tuning", UriKind.Relative), new { name, parameters });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> WaitForAsync(HttpClient http, Guid jobId, Func<JsonElement, bool> until)
    {
        // A generous bound only so a broken run fails instead of hanging; no timing is asserted.
        var clock = Stopwatch.StartNew();
        JsonElement job;
        do
        {
            job = await http.GetFromJsonAsync<JsonElement>(new Uri($"/api/jobs/{jobId}", UriKind.Relative));
            if (until(job))
            {
                return job;
            }

            await Task.Delay(50);
        }
        while (clock.Elapsed < TimeSpan.FromMinutes(3));

        throw new TimeoutException($"job {jobId} did not reach the expected state: {job}");
    }

    [GeneratedRegex("<input[^>]*name=\"(?<name>[^\"]+)\"[^>]*type=\"hidden\"[^>]*value=\"(?<value>[^\"]*)\"|<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenInput();

    /// <summary>Disposes a server at the end of a block (it is an IAsyncLifetime, not an IAsyncDisposable).</summary>
    private sealed class DisposeOnExit(PortalServer server) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await server.DisposeAsync();
    }
}
