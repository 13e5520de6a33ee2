using System.Text.Json;
using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Storage;
using FTLPortal.Federation.Agents;
using FTLPortal.Infrastructure.Agents;
using FTLPortal.Infrastructure.Jobs;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Serialization;
using FTLPortal.Learning.Training;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.BaseModels;

/// <summary>Has the source domain's agent pre-train an MLP and keeps the result as the next version of a base model.</summary>
internal sealed class PretrainingJobHandler(AgentDirectory agents, IArtifactStore artifacts) : IPortalJobHandler
{
    public JobKind Kind => JobKind.Pretraining;

    public async Task<string> RunAsync(JobExecution execution, CancellationToken cancellationToken)
    {
        var parameters = execution.Parameters<PretrainingParameters>();
        // At-least-once: a delivery after the model was saved (a crash before the job was marked done) adds no second version.
        await using (var check = await execution.DbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await check.BaseModels.AsNoTracking().FirstOrDefaultAsync(m => m.PretrainingJobId == execution.Job.Id, cancellationToken) is { } saved)
            {
                return ResultOf(saved);
            }
        }

        Guid partnerId;
        string partnerSlug;
        string domainName;
        await using (var db = await execution.DbFactory.CreateDbContextAsync(cancellationToken))
        {
            var domain = await db.Domains.FirstOrDefaultAsync(d => d.Id == parameters.SourceDomainId, cancellationToken)
                ?? throw new InvalidOperationException("The source domain no longer exists.");
            if (!domain.TrainingConsent)
            {
                // Checked as the job starts, not only when it was requested: a queued job honours a withdrawal.
                throw new InvalidOperationException($"The partner withdrew training consent for the source domain '{domain.Name}'.");
            }

            var partner = await db.Partners.FirstAsync(p => p.Id == domain.PartnerId, cancellationToken);
            (partnerId, partnerSlug, domainName) = (partner.Id, partner.Slug, domain.Name);
        }

        var agent = agents.For(partnerId, partnerSlug);
        var progress = new EpochProgress(execution, parameters.Epochs);
        var result = await agent.PretrainAsync(
            new PretrainRequest
            {
                DomainId = parameters.SourceDomainId.ToString(),
                HiddenSizes = parameters.HiddenSizes,
                Training = new TrainingOptions
                {
                    Epochs = parameters.Epochs,
                    BatchSize = parameters.BatchSize,
                    LearningRate = (float)parameters.LearningRate,
                    Optimizer = OptimizerKind.Adam,
                    Seed = parameters.Seed,
                    WeightDecay = (float)parameters.WeightDecay,
                    EarlyStoppingPatience = parameters.EarlyStoppingPatience,
                    BalanceClasses = parameters.ClassWeighting == ClassWeighting.Balanced,
                },
                ValidationFraction = parameters.ValidationFraction,
                SplitSeed = parameters.Seed,
            },
            progress,
            cancellationToken);
        await progress.FlushAsync(cancellationToken);

        var architecture = ModelArchitecture.FromJson(result.ArchitectureJson);
        var weights = SafeTensorsFormat.FromBytes(result.Weights);

        var model = new BaseModel
        {
            Name = parameters.ModelName,
            SourceDomainId = parameters.SourceDomainId,
            SourceDomainName = domainName,
            PretrainingJobId = execution.Job.Id,
            ArchitectureJson = result.ArchitectureJson,
            LayersJson = BaseModelLayers.Json(architecture),
            WeightsArtifact = "",
            WeightsSha256 = weights.Sha256(),
            ValidationAccuracy = result.Validation.Accuracy,
            ValidationLoss = result.Validation.Loss,
            TrainRows = result.TrainRows,
        };
        model.WeightsArtifact = $"models/{model.Id}/weights.safetensors";
        await artifacts.SaveAsync(model.WeightsArtifact, result.Weights, cancellationToken);
        await BaseModelVersions.SaveAsNextVersionAsync(execution.DbFactory, model, cancellationToken);
        return ResultOf(model);
    }

    private static string ResultOf(BaseModel model) =>
        JsonSerializer.Serialize(new { BaseModelId = model.Id, model.Name, model.Version, model.ValidationAccuracy, model.ValidationLoss });

    /// <summary>Turns the agent's per-epoch callbacks into persisted progress, one report in flight at a time.</summary>
    private sealed class EpochProgress(JobExecution execution, int epochs) : IProgress<EpochMetrics>
    {
        private Task _pending = Task.CompletedTask;

        public void Report(EpochMetrics value)
        {
            var previous = _pending;
            _pending = ReportAfter(previous, value);
        }

        public Task FlushAsync(CancellationToken cancellationToken) => _pending.WaitAsync(cancellationToken);

        private async Task ReportAfter(Task previous, EpochMetrics value)
        {
            await previous;
            await execution.ReportAsync(
                (double)value.Epoch / epochs,
                $"Epoch {value.Epoch}/{epochs}: loss {value.TrainLoss:F4}, accuracy {value.TrainAccuracy:P1}",
                value.Epoch);
        }
    }
}
