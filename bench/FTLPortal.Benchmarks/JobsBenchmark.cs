using System.Diagnostics;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Security;
using FTLPortal.Core.Similarity;
using FTLPortal.Infrastructure;
using FTLPortal.Infrastructure.Seeding;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FTLPortal.Benchmarks;

/// <summary>
/// bench/run.sh jobs: the portal's own host (AddInfrastructure: SQLite database, Hangfire on its SQLite file with the
/// portal's server options, demo federation) in a temporary data folder. Queue wait is StartedAt − CreatedAt as the
/// portal records them for 50 similarity jobs requested one after another on an otherwise idle node; throughput is 500
/// empty jobs through the same IBackgroundJobClient and server.
/// </summary>
internal static class JobsBenchmark
{
    private const int QueueWaitJobs = 50;
    private const int EmptyJobs = 500;

    private static readonly PortalUserContext Scientist = new("scientist", "scientist@ftl.local", new HashSet<string> { PortalRoles.DataScientist }, null);

    public static async Task RunAsync()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "ftl-bench-jobs-" + Guid.NewGuid().ToString("N"));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Portal:DataDirectory"] = dataDirectory,
            ["Portal:SeedDemo"] = "true",
            ["Demo:Password"] = "Bench-Password-123",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddInfrastructure();
        using var host = builder.Build();
        try
        {
            await DemoFederationSeeder.InitializeAsync(host.Services);
            await host.StartAsync();
            await QueueWaitAsync(host.Services);
            await ThroughputAsync(host.Services);
            await host.StopAsync();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temp folder does not spoil the figures.
            }
        }

        Console.WriteLine("quartz_published_jobs_per_s_postgresql 85-98");
    }

    private static async Task QueueWaitAsync(IServiceProvider services)
    {
        var jobs = services.GetRequiredService<IJobService>();
        var domains = await services.GetRequiredService<IDomainService>().ListAsync(Scientist, default);
        var parameters = new SimilarityParameters { DomainIds = domains.Take(2).Select(d => d.Id).ToList() };
        var waits = new List<double>(QueueWaitJobs);
        for (var i = 0; i < QueueWaitJobs; i++)
        {
            var request = await jobs.RequestSimilarityAsync(Scientist, parameters, default);
            if (!request.Succeeded)
            {
                throw new InvalidOperationException(request.Error);
            }

            // One at a time, each after the previous has finished: the node is idle when each is requested.
            PortalJob job;
            do
            {
                await Task.Delay(20);
                job = (await jobs.FindAsync(Scientist, request.Job!.Id, default))!;
            }
            while (!job.IsFinished);

            if (job.Status != JobStatus.Completed || job.StartedAt is not { } started)
            {
                throw new InvalidOperationException($"similarity job {job.Id} ended {job.Status}: {job.Error}");
            }

            waits.Add((started - job.CreatedAt).TotalMilliseconds);
        }

        waits.Sort();
        Print("queue_wait_jobs", QueueWaitJobs);
        Print("queue_wait_p50_ms", waits[(int)Math.Ceiling(0.50 * waits.Count) - 1]);
        Print("queue_wait_p95_ms", waits[(int)Math.Ceiling(0.95 * waits.Count) - 1]);
        Print("queue_wait_max_ms", waits[^1]);
    }

    private static async Task ThroughputAsync(IServiceProvider services)
    {
        var client = services.GetRequiredService<IBackgroundJobClient>();
        var monitoring = services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var before = monitoring.SucceededListCount();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < EmptyJobs; i++)
        {
            client.Enqueue(() => EmptyJob.Run());
        }

        var enqueued = clock.Elapsed;
        while (monitoring.SucceededListCount() - before < EmptyJobs)
        {
            await Task.Delay(20);
        }

        var elapsed = clock.Elapsed;
        Print("empty_jobs", EmptyJobs);
        Print("enqueue_jobs_per_s", EmptyJobs / enqueued.TotalSeconds);
        Print("jobs_per_s", EmptyJobs / elapsed.TotalSeconds);
    }

    private static void Print(string name, double value) =>
        Console.WriteLine(FormattableString.Invariant($"{name} {value:0.###}"));
}
