using System.Text.Json;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Similarity;
using FTLPortal.Infrastructure.Agents;
using FTLPortal.Infrastructure.Domains;
using FTLPortal.Infrastructure.Jobs;
using FTLPortal.Learning.Similarity;
using FTLPortal.Learning.Summaries;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.Similarity;

/// <summary>Asks each domain's agent for a fresh summary in the shared feature space and compares them pairwise.</summary>
internal sealed class SimilarityJobHandler(AgentDirectory agents) : IPortalJobHandler
{
    public JobKind Kind => JobKind.Similarity;

    public async Task<string> RunAsync(JobExecution execution, CancellationToken cancellationToken)
    {
        var parameters = execution.Parameters<SimilarityParameters>();
        await using var db = await execution.DbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (from d in db.Domains
                          join p in db.Partners on d.PartnerId equals p.Id
                          where parameters.DomainIds.Contains(d.Id)
                          select new { Domain = d, Partner = p }).ToListAsync(cancellationToken);
        var requested = parameters.DomainIds.Select(id => rows.Single(r => r.Domain.Id == id)).ToList();
        // Consent is checked as the job starts, not only when it was requested: a domain whose partner withdrew it since
        // is left out (and said so); with fewer than two left there is nothing to compare.
        var ordered = requested.Where(r => r.Domain.SimilarityConsent).ToList();
        foreach (var withdrawn in requested.Where(r => !r.Domain.SimilarityConsent))
        {
            execution.Notifier.Publish(JobEvents.From(execution.Job, JobEventKind.ParticipantDropped) with
            {
                Message = $"{withdrawn.Partner.Name} withdrew similarity consent for {withdrawn.Domain.Name}: it is left out of the comparison",
            });
        }

        if (ordered.Count < 2)
        {
            throw new InvalidOperationException(
                $"Similarity consent was withdrawn for {string.Join(", ", requested.Where(r => !r.Domain.SimilarityConsent).Select(r => r.Domain.Name))}: fewer than two domains are left to compare.");
        }

        var summaries = new List<DomainSummary>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var entry = ordered[i];
            await execution.ReportAsync(0.8 * i / ordered.Count, $"Summarizing {entry.Domain.Name} at {entry.Partner.Name}", cancellationToken: cancellationToken);
            var agent = agents.For(entry.Partner.Id, entry.Partner.Slug);
            summaries.Add(await agent.GetSummaryAsync(entry.Domain.Id.ToString(), DomainService.SummaryOptions, cancellationToken));
        }

        await execution.ReportAsync(0.9, "Comparing summaries", cancellationToken: cancellationToken);
        var n = summaries.Count;
        var mmd = new List<IReadOnlyList<double?>>(n);
        var labels = new List<IReadOnlyList<double?>>(n);
        for (var i = 0; i < n; i++)
        {
            var mmdRow = new double?[n];
            var labelRow = new double?[n];
            for (var j = 0; j < n; j++)
            {
                var (a, b) = (summaries[i], summaries[j]);
                mmdRow[j] = a.FeatureNames.SequenceEqual(b.FeatureNames, StringComparer.Ordinal) ? KernelMmd.FromSummaries(a, b) : null;
                labelRow[j] = LabelDistributionDistance.JensenShannon(a.ClassNames, a.ClassCounts, b.ClassNames, b.ClassCounts);
            }

            mmd.Add(mmdRow);
            labels.Add(labelRow);
        }

        var result = new SimilarityResult
        {
            DomainIds = ordered.Select(r => r.Domain.Id).ToList(),
            DomainNames = ordered.Select(r => $"{r.Domain.Name} ({r.Partner.Name})").ToList(),
            Mmd = mmd,
            LabelDistance = labels,
            EmbeddingDimension = summaries[0].MeanEmbedding.Length,
            Bandwidth = summaries[0].EmbeddingBandwidth,
        };
        return JsonSerializer.Serialize(result);
    }
}
