using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Jobs.Evaluation;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.Jobs;

/// <summary>The per-partner head descriptions of a multitask job's result (empty for other jobs).</summary>
internal static class TaskHeadDescriptions
{
    public static async Task<IReadOnlyList<TaskHeadDescription>> DescribeAsync(
        JobExecution execution, FineTuningParameters parameters, BaseModel baseModel, IReadOnlyList<FineTuningJobHandler.Target> targets,
        FineTuningEvaluation evaluation, CancellationToken cancellationToken)
    {
        var settings = parameters.Federation ?? new FederationSettings();
        if (settings.Personalization != PersonalizationKind.MultiTask)
        {
            return [];
        }

        var layers = System.Text.Json.JsonSerializer.Deserialize<List<ModelLayer>>(baseModel.LayersJson) ?? [];
        var head = FederationLayerPlan.PersonalLayers(layers, parameters.FrozenLayers.ToHashSet(StringComparer.Ordinal), settings);
        var ids = targets.Select(t => t.DomainId).ToList();
        await using var db = await execution.DbFactory.CreateDbContextAsync(cancellationToken);
        var summaries = await db.Domains.AsNoTracking().Where(d => ids.Contains(d.Id)).Select(d => new { d.Id, d.SummaryJson }).ToListAsync(cancellationToken);
        return targets.Where(t => evaluation.Domains.Any(d => d.DomainId == t.DomainId && d.OwnHeadClasses is not null)).Select(t =>
        {
            // The summary is what the agent published at registration: the same label set its head was sized to.
            var classes = DomainStatistics.FromSummaryJson(summaries.Single(s => s.Id == t.DomainId).SummaryJson).ClassNames;
            return new TaskHeadDescription(t.PartnerId, t.PartnerName, t.DomainId, t.DomainName, head, classes.Count, classes);
        }).ToList();
    }
}
