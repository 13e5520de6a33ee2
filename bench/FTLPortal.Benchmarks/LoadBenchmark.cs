using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace FTLPortal.Benchmarks;

/// <summary>
/// bench/run.sh load: the real portal process (Release build of src/FTLPortal.Web, embedded default, demo federation)
/// under load from signed-in HttpClients and SignalR clients on loopback. Four figures, each printed with its bound
/// (<c># bound name op value</c>): idle hub connections held and the portal's memory per connection, fine-tuning jobs
/// requested at once and completed, the portal's peak resident set while it takes the widest CSV allowed, and the
/// 95th-percentile page time for simulated users. Every wait is bounded in time; the portal is killed on every path.
/// </summary>
internal static partial class LoadBenchmark
{
    private const int HubConnections = 2000;
    private const int HubConnectConcurrency = 50;
    private const int ConcurrentJobs = 50;
    private const int PageUsers = 20;
    private const int UploadColumns = 2000;
    private const long UploadBytes = 10L * 1024 * 1024;

    private static readonly TimeSpan HubHold = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan HubConnectBudget = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan JobsBudget = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan PageDuration = TimeSpan.FromSeconds(30);
    private static readonly string[] Pages = ["/", "/domains", "/jobs", "/similarity", "/models"];
    // Both roles may open all five pages (/similarity and /models need DataScientist or Admin).
    private static readonly string[] PageUserEmails = ["scientist@ftl.local", "admin@ftl.local"];
    private static readonly int[] HiddenSizes = [8];

    public static async Task RunAsync()
    {
        var settings = new Dictionary<string, string>
        {
            ["Portal__MaxUploadBytes"] = UploadBytes.ToString(CultureInfo.InvariantCulture),
            ["Portal__MaxUploadColumns"] = UploadColumns.ToString(CultureInfo.InvariantCulture),
            // The per-user active-job limit would refuse most of 50 jobs from one user: this measures the scheduler.
            ["Portal__Jobs__MaxActiveJobsPerUser"] = "1000",
        };
        var clock = Stopwatch.StartNew();
        await using var portal = await PortalProcess.StartAsync(settings);
        Console.WriteLine(FormattableString.Invariant($"# portal started in {clock.Elapsed.TotalSeconds:0.0} s, pid {portal.ProcessId}, rss {portal.ReadStatusKib("VmRSS") / 1024.0:0} MiB"));
        try
        {
            using var scientist = await SignInAsync(portal.BaseAddress, "scientist@ftl.local");
            var domains = await DomainIdsAsync(scientist.Http);
            var (pretrainJob, baseModel) = await PretrainAsync(scientist.Http, domains[0]);
            await HubAsync(portal, scientist.Cookies, pretrainJob);
            await PagesAsync(portal.BaseAddress);
            await UploadAsync(portal);
            await JobsAsync(scientist.Http, baseModel, domains);
        }
        catch (Exception)
        {
            Console.Error.WriteLine("# portal output (last lines):");
            Console.Error.WriteLine(portal.Output);
            throw;
        }
    }

    private static async Task HubAsync(PortalProcess portal, CookieContainer cookies, Guid jobId)
    {
        var before = portal.ReadStatusKib("VmRSS");
        var connections = new ConcurrentBag<HubConnection>();
        var failures = 0;
        var firstError = (string?)null;
        var clock = Stopwatch.StartNew();
        using var budget = new CancellationTokenSource(HubConnectBudget);
        using var gate = new SemaphoreSlim(HubConnectConcurrency);
        var opening = Enumerable.Range(0, HubConnections).Select(async _ =>
        {
            try
            {
                await gate.WaitAsync(budget.Token);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref failures);
                return;
            }

            try
            {
                var connection = new HubConnectionBuilder()
                    .WithUrl(new Uri(portal.BaseAddress, "/hubs/jobs"), options =>
                    {
                        options.Cookies = cookies;
                        options.Transports = HttpTransportType.WebSockets;
                        options.SkipNegotiation = true;
                    })
                    .Build();
                connections.Add(connection);
                await connection.StartAsync(budget.Token);
                await connection.InvokeAsync("SubscribeToJob", jobId, budget.Token);
            }
#pragma warning disable CA1031 // A failed connection is counted, not fatal: the figure is how many are held.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref failures);
                Interlocked.CompareExchange(ref firstError, e.GetType().Name + ": " + e.Message, null);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        await Task.WhenAll(opening);
        var opened = clock.Elapsed;
        await Task.Delay(HubHold);
        var held = connections.Count(c => c.State == HubConnectionState.Connected);
        var after = portal.ReadStatusKib("VmRSS");

        // Close them all, bounded as well, before the next figure.
        using (var closing = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        using (var closeGate = new SemaphoreSlim(HubConnectConcurrency))
        {
            await Task.WhenAll(connections.Select(async c =>
            {
                await closeGate.WaitAsync(CancellationToken.None);
                try
                {
                    await c.StopAsync(closing.Token);
                }
                catch (OperationCanceledException)
                {
                    // Left to the portal's kill at the end.
                }
                finally
                {
                    await c.DisposeAsync();
                    closeGate.Release();
                }
            }));
        }

        Console.WriteLine(FormattableString.Invariant($"# hub: {HubConnections} connections, WebSockets, one user's cookie, each subscribed to job {jobId}; opened in {opened.TotalSeconds:0.0} s ({HubConnectConcurrency} at a time), held {HubHold.TotalSeconds:0} s; portal VmRSS {before / 1024.0:0} -> {after / 1024.0:0} MiB; failures {failures}"));
        if (firstError is not null)
        {
            Console.WriteLine("# hub first error: " + firstError);
        }

        Print("hub_clients_held", held);
        Bound("hub_clients_held", ">=", HubConnections);
        Print("hub_connect_s", opened.TotalSeconds);
        Print("hub_memory_per_connection_kib", held > 0 ? (after - before) / (double)held : double.NaN);
        Bound("hub_memory_per_connection_kib", "<=", 64);
    }

    private static async Task PagesAsync(Uri baseAddress)
    {
        var users = new List<SignedInClient>(PageUsers);
        try
        {
            for (var i = 0; i < PageUsers; i++)
            {
                users.Add(await SignInAsync(baseAddress, PageUserEmails[i % PageUserEmails.Length]));
            }

            var times = Pages.ToDictionary(p => p, _ => new ConcurrentBag<double>());
            var errors = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(users.Select((user, index) => Task.Run(async () =>
            {
                // Each user walks the pages in order from its own starting page, one request at a time, no think time.
                for (var n = index; clock.Elapsed < PageDuration; n++)
                {
                    var page = Pages[n % Pages.Length];
                    var start = Stopwatch.GetTimestamp();
                    try
                    {
                        using var response = await user.Http.GetAsync(new Uri(page, UriKind.Relative), HttpCompletionOption.ResponseContentRead);
                        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            times[page].Add(elapsed);
                        }
                        else
                        {
                            errors.AddOrUpdate($"{page} {(int)response.StatusCode}", 1, (_, n) => n + 1);
                        }
                    }
                    catch (HttpRequestException e)
                    {
                        errors.AddOrUpdate($"{page} {e.GetType().Name}", 1, (_, n) => n + 1);
                    }
                    catch (TaskCanceledException e)
                    {
                        errors.AddOrUpdate($"{page} {e.GetType().Name}", 1, (_, n) => n + 1);
                    }
                }
            })));

            var all = times.Values.SelectMany(t => t).ToList();
            Console.WriteLine(FormattableString.Invariant($"# pages: {PageUsers} signed-in users (scientist and admin in turn), each fetching {string.Join(' ', Pages)} in a loop for {PageDuration.TotalSeconds:0} s without think time; {all.Count} responses in {clock.Elapsed.TotalSeconds:0.0} s"));
            Print("page_requests", all.Count);
            if (!errors.IsEmpty)
            {
                Console.WriteLine("# page errors: " + string.Join(", ", errors.Select(e => FormattableString.Invariant($"{e.Key} x{e.Value}"))));
            }

            Print("page_errors", errors.Values.Sum());
            Bound("page_errors", "<=", 0);
            foreach (var (page, bag) in times)
            {
                var name = page == "/" ? "home" : page.TrimStart('/');
                Print($"p95_page_ms_{name}", Percentile(bag.ToList(), 0.95));
            }

            Print("p50_page_ms", Percentile(all, 0.50));
            Print("p95_page_ms", Percentile(all, 0.95));
            Bound("p95_page_ms", "<=", 500);
        }
        finally
        {
            foreach (var user in users)
            {
                user.Dispose();
            }
        }
    }

    private static async Task UploadAsync(PortalProcess portal)
    {
        using var admin = await SignInAsync(portal.BaseAddress, "northwind-admin@ftl.local");
        var csv = WidestCsv(UploadColumns, UploadBytes, out var rows);
        var reset = portal.TryResetPeakRss();
        var before = portal.ReadStatusKib("VmRSS");
        var sampledPeak = before;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                sampledPeak = Math.Max(sampledPeak, portal.ReadStatusKib("VmRSS"));
                try
                {
                    await Task.Delay(10, done.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });

        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        string body;
        using (var form = new MultipartFormDataContent())
        using (var file = new ByteArrayContent(csv))
        {
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(new StringContent("bench-widest"), "name");
            form.Add(new StringContent("label"), "labelColumn");
            form.Add(file, "file", "bench-widest.csv");
            using var response = await admin.Http.PostAsync(new Uri("/api/domains", UriKind.Relative), form);
            status = response.StatusCode;
            body = await response.Content.ReadAsStringAsync();
        }

        var elapsed = clock.Elapsed;
        await done.CancelAsync();
        await sampler;
        var peak = Math.Max(sampledPeak, reset ? portal.ReadStatusKib("VmHWM") : 0);
        if (status != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"the upload answered {(int)status}: {body}");
        }

        Console.WriteLine(FormattableString.Invariant($"# upload: {csv.Length:N0} bytes (limit {UploadBytes:N0}), {UploadColumns} columns ({UploadColumns - 1} features + label), {rows:N0} rows, one digit per cell; registered in {elapsed.TotalSeconds:0.0} s; portal VmRSS before {before / 1024.0:0} MiB; peak from {(reset ? "VmHWM after clear_refs and 10 ms VmRSS samples" : "10 ms VmRSS samples")}"));
        Print("upload_bytes", csv.Length);
        Print("upload_rss_peak_mib", peak / 1024.0);
        Bound("upload_rss_peak_mib", "<=", 1024);
        Print("upload_rss_growth_mib", (peak - before) / 1024.0);
    }

    private static async Task JobsAsync(HttpClient http, Guid baseModel, IReadOnlyList<Guid> domains)
    {
        var parameters = new { baseModelId = baseModel, targetDomainIds = domains, rounds = 2, localEpochs = 1, seed = 7 };
        var clock = Stopwatch.StartNew();
        var ids = await Task.WhenAll(Enumerable.Range(0, ConcurrentJobs).Select(async i =>
        {
            using var response = await http.PostAsJsonAsync(new Uri("/api/jobs/fine-tuning", UriKind.Relative), new { name = FormattableString.Invariant($"bench-load-{i}"), parameters });
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"fine-tuning request {i} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }));
        var requested = clock.Elapsed;

        var statuses = new Dictionary<Guid, string>();
        while (clock.Elapsed < JobsBudget)
        {
            foreach (var id in ids.Where(id => !statuses.TryGetValue(id, out var s) || !IsFinished(s)))
            {
                var job = await http.GetFromJsonAsync<JsonElement>(new Uri($"/api/jobs/{id}", UriKind.Relative));
                statuses[id] = job.GetProperty("status").GetString() ?? "";
            }

            if (statuses.Count == ids.Length && statuses.Values.All(IsFinished))
            {
                break;
            }

            await Task.Delay(500);
        }

        var wall = clock.Elapsed;
        var completed = statuses.Values.Count(s => s == "Completed");
        var byStatus = string.Join(", ", statuses.Values.GroupBy(s => s).Select(g => $"{g.Key} {g.Count()}"));
        Console.WriteLine(FormattableString.Invariant($"# jobs: {ConcurrentJobs} fine-tuning jobs (2 rounds, 1 local epoch, 3 partners, MLP hidden 8) requested at once in {requested.TotalSeconds:0.0} s by one user (Portal:Jobs:MaxActiveJobsPerUser raised to 1000); ended: {byStatus}; budget {JobsBudget.TotalMinutes:0} min"));
        Print("concurrent_jobs_completed", completed);
        Bound("concurrent_jobs_completed", ">=", ConcurrentJobs);
        Print("concurrent_jobs_wall_s", wall.TotalSeconds);
    }

    /// <summary>A CSV at the column cap (features then a 0/1 label), one random digit per cell, as many rows as fit the byte limit.</summary>
    private static byte[] WidestCsv(int columns, long maxBytes, out int rows)
    {
#pragma warning disable CA5394 // Test data, not security.
        var random = new Random(5);
        var text = new StringBuilder();
        text.AppendJoin(',', Enumerable.Range(0, columns - 1).Select(c => "f" + c.ToString(CultureInfo.InvariantCulture))).Append(",label\n");
        var rowBytes = columns * 2; // "d," per feature, then "l\n"
        rows = 0;
        while (text.Length + rowBytes <= maxBytes)
        {
            for (var c = 0; c < columns - 1; c++)
            {
                text.Append((char)('0' + random.Next(10))).Append(',');
            }

            text.Append(random.Next(2) == 0 ? '0' : '1').Append('\n');
            rows++;
        }
#pragma warning restore CA5394

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private static bool IsFinished(string status) => status is "Completed" or "Failed" or "Cancelled";

    private static async Task<List<Guid>> DomainIdsAsync(HttpClient http)
    {
        using var domains = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/domains", UriKind.Relative)));
        return domains.RootElement.EnumerateArray().Select(d => d.GetProperty("id").GetGuid()).ToList();
    }

    private static async Task<(Guid JobId, Guid BaseModelId)> PretrainAsync(HttpClient http, Guid sourceDomain)
    {
        using var response = await http.PostAsJsonAsync(new Uri("/api/models/pretrain", UriKind.Relative), new { sourceDomainId = sourceDomain, modelName = "bench-load", hiddenSizes = HiddenSizes, epochs = 1 });
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"pretraining answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        var jobId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var clock = Stopwatch.StartNew();
        string? status = null;
        while (clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            var job = await http.GetFromJsonAsync<JsonElement>(new Uri($"/api/jobs/{jobId}", UriKind.Relative));
            status = job.GetProperty("status").GetString();
            if (status is not null && IsFinished(status))
            {
                break;
            }

            await Task.Delay(200);
        }

        if (status != "Completed")
        {
            throw new InvalidOperationException($"pretraining job {jobId} ended {status}");
        }

        using var models = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/models", UriKind.Relative)));
        var model = models.RootElement.EnumerateArray()
            .First(m => m.TryGetProperty("pretrainingJobId", out var p) && p.ValueKind == JsonValueKind.String && p.GetGuid() == jobId)
            .GetProperty("id").GetGuid();
        return (jobId, model);
    }

    /// <summary>Signs in through the real sign-in form (antiforgery fields included); the client keeps the cookie.</summary>
    private static async Task<SignedInClient> SignInAsync(Uri baseAddress, string email)
    {
        var cookies = new CookieContainer();
#pragma warning disable CA2000 // The handler is owned by the HttpClient (disposeHandler: true), which SignedInClient disposes.
        var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = cookies };
#pragma warning restore CA2000
        var client = new SignedInClient(new HttpClient(handler, disposeHandler: true) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(100) }, cookies);
        try
        {
            // State-changing /api requests need JSON or this header (the portal's CSRF rule).
            client.Http.DefaultRequestHeaders.Add("X-FTL-Request", "1");
            var page = await client.Http.GetStringAsync(new Uri("/account/signin", UriKind.Relative));
            var fields = HiddenInput().Matches(page).ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
            fields["Input.Email"] = email;
            fields["Input.Password"] = PortalProcess.DemoPassword;
            using var content = new FormUrlEncodedContent(fields);
            using var response = await client.Http.PostAsync(new Uri("/account/signin", UriKind.Relative), content);
            if (response.StatusCode != HttpStatusCode.Redirect)
            {
                throw new InvalidOperationException($"sign-in as {email} answered {(int)response.StatusCode}");
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static double Percentile(List<double> values, double quantile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        return values[(int)Math.Ceiling(quantile * values.Count) - 1];
    }

    private static void Print(string name, double value) =>
        Console.WriteLine(FormattableString.Invariant($"{name} {value:0.###}"));

    private static void Bound(string name, string comparison, double bound) =>
        Console.WriteLine(FormattableString.Invariant($"# bound {name} {comparison} {bound}"));

    [GeneratedRegex("<input[^>]*name=\"(?<name>[^\"]+)\"[^>]*type=\"hidden\"[^>]*value=\"(?<value>[^\"]*)\"|<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenInput();
}
