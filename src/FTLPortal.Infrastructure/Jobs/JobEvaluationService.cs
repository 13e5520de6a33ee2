using System.Text.Json;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Jobs.Evaluation;
using FTLPortal.Core.Security;
using FTLPortal.Federation.Rounds;
using FTLPortal.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.Jobs;

/// <summary>
/// Reads a fine-tuning job's evaluation for its page: the global model's per-round validation numbers, the overfitting
/// warning (<see cref="ValidationLossTrend"/>) and the stored final evaluation, cut to the domains the user may see.
/// </summary>
internal sealed class JobEvaluationService(IJobService jobs, IDbContextFactory<PortalDbContext> dbFactory) : IJobEvaluationService
{
    /// <summary>Below this many rows a domain's local estimates are k-fold cross-validated (the Learning split's rule).</summary>
    private const int CrossValidationBelowRows = Learning.Data.DomainSplit.CrossValidationBelowRows;

    public async Task<JobEvaluationView?> GetAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (await jobs.FindAsync(user, jobId, cancellationToken) is not { Kind: JobKind.FineTuning } job)
        {
            return null;
        }

        // Already cut to the user's own partner for partner admins.
        var metrics = await jobs.GetRoundsAsync(user, jobId, cancellationToken);
        var summaries = FineTuningEvaluationRecorder.GlobalRounds(metrics);
        var final = FineTuningEvaluation.FromJson(job.EvaluationJson);
        if (final is not null && !user.SeesAllJobs)
        {
            final = final with { Domains = final.Domains.Where(d => d.PartnerId == user.PartnerId).ToList() };
        }

        var parameters = JsonSerializer.Deserialize<FineTuningParameters>(job.ParametersJson) ?? new FineTuningParameters();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var small = await db.Domains.AsNoTracking()
            .Where(d => parameters.TargetDomainIds.Contains(d.Id) && d.Rows < CrossValidationBelowRows)
            .Where(d => user.SeesAllJobs || d.PartnerId == user.PartnerId)
            .OrderBy(d => d.Name)
            .Select(d => d.Name)
            .ToListAsync(cancellationToken);
        return new JobEvaluationView
        {
            Rounds = summaries.Where(r => !double.IsNaN(r.GlobalValidationLoss))
                .Select(r => new RoundEvaluation(r.Round, r.GlobalValidationLoss, r.GlobalValidationAccuracy, r.Selected.Count))
                .ToList(),
            RisingRounds = ValidationLossTrend.RisingRounds(summaries),
            Overfitting = ValidationLossTrend.IsOverfitting(summaries),
            BestRound = ValidationLossTrend.BestRound(summaries),
            Final = final,
            CrossValidatedDomains = small,
        };
    }
}
