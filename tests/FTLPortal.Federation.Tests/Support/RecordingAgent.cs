using System.Collections.Concurrent;
using FTLPortal.Federation.Agents;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Support;

/// <summary>Forwards every call to <paramref name="inner"/> and records the training and evaluation requests and the updates it returns.</summary>
internal sealed class RecordingAgent(IFederatedAgent inner) : IFederatedAgent
{
    public string PartnerId => inner.PartnerId;

    public ConcurrentQueue<LocalTrainingRequest> TrainingRequests { get; } = new();

    public ConcurrentQueue<ModelUpdate> Updates { get; } = new();

    public ConcurrentQueue<EvaluationRequest> EvaluationRequests { get; } = new();

    public async Task<ModelUpdate> TrainLocalAsync(LocalTrainingRequest request, CancellationToken ct)
    {
        TrainingRequests.Enqueue(request);
        ModelUpdate update = await inner.TrainLocalAsync(request, ct);
        Updates.Enqueue(update);
        return update;
    }

    public Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken ct)
    {
        EvaluationRequests.Enqueue(request);
        return inner.EvaluateAsync(request, ct);
    }

    public Task<DomainSummary> RegisterDomainAsync(string domainId, Stream csv, string labelColumn, SummaryOptions summaryOptions, CancellationToken ct) =>
        inner.RegisterDomainAsync(domainId, csv, labelColumn, summaryOptions, ct);

    public Task<DomainSummary> GetSummaryAsync(string domainId, SummaryOptions options, CancellationToken ct) =>
        inner.GetSummaryAsync(domainId, options, ct);

    public Task<bool> HasDomainAsync(string domainId, CancellationToken ct) => inner.HasDomainAsync(domainId, ct);

    public Task DeleteDomainAsync(string domainId, CancellationToken ct) => inner.DeleteDomainAsync(domainId, ct);

    public Task<PretrainResult> PretrainAsync(PretrainRequest request, IProgress<EpochMetrics>? progress, CancellationToken ct) =>
        inner.PretrainAsync(request, progress, ct);
}
