using FTLPortal.Infrastructure.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FTLPortal.Infrastructure.Scheduling;

/// <summary>Runs <see cref="StuckJobReconciler"/> periodically (start-up recovery runs it once before the server starts).</summary>
internal sealed partial class StuckJobReconcilerService(
    StuckJobReconciler reconciler,
    IOptions<JobReliabilityOptions> options,
    ILogger<StuckJobReconcilerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReconcileInterval);
        IReadOnlySet<Guid> seen = new HashSet<Guid>();
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                // A job is recorded Failed when two passes in a row found it stuck.
                seen = await reconciler.ReconcileAsync(seen, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The database may still be unwritable (the very fault this looks for): try again next tick.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciling stuck jobs failed; trying again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
