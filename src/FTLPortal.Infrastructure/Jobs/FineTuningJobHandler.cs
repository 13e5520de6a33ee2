using System.Text.Json;
using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Jobs.Evaluation;
using FTLPortal.Core.ModelCards;
using FTLPortal.Core.Storage;
using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Packaging;
using FTLPortal.Federation.Rounds;
using FTLPortal.Infrastructure.Agents;
using FTLPortal.Infrastructure.ModelCards;
using FTLPortal.Learning.Engines;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Serialization;
using FTLPortal.Learning.Training;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.Jobs;

/// <summary>
/// Federated fine-tuning as a chain of short steps, so no scheduler job outlives the storage's invisibility timeout: one
/// step per round (FedAvg over the target domains' agents, from the previous round's checkpoint) and a final step for
/// the local-only baselines and the model card. Each step is idempotent: a round already recorded is not trained or
/// recorded again, and a round is recorded (metrics and round counter together) only if the previous one is the last
/// recorded, so a step delivered twice records its round once.
/// </summary>
internal sealed class FineTuningJobHandler(AgentDirectory agents, IArtifactStore artifacts, EngineCatalog engines)
{
    /// <summary>
    /// An agent call may take at most this long, well inside the scheduler storage's 30-minute invisibility timeout,
    /// so a round step ends (a slow partner dropped) before its job could be handed to another worker.
    /// </summary>
    internal static readonly TimeSpan ClientTimeout = TimeSpan.FromMinutes(10);

    internal static string CheckpointKey(Guid jobId, int round) => $"jobs/{jobId}/rounds/{round}.safetensors";

    /// <summary>Trains and records round <paramref name="round"/>; false when another delivery of this step recorded it first.</summary>
    public async Task<bool> RunRoundAsync(JobExecution execution, int round, CancellationToken cancellationToken)
    {
        var job = execution.Job;
        var parameters = execution.Parameters<FineTuningParameters>();
        var (baseModel, targets) = await LoadAsync(execution, parameters, cancellationToken);
        byte[] initialWeights;
        if (round == 1)
        {
            initialWeights = await artifacts.ReadAsync(baseModel.WeightsArtifact, cancellationToken)
                ?? throw new InvalidOperationException("The base model's weights are missing from the artifact store.");
        }
        else
        {
            initialWeights = await artifacts.ReadAsync(CheckpointKey(job.Id, round - 1), cancellationToken)
                ?? throw new InvalidOperationException($"The checkpoint of round {round - 1} is missing from the artifact store.");
        }

        var federation = parameters.Federation ?? new FederationSettings();
        var state = new FederationJobState(artifacts, job.Id);
        var plan = Plan(job, parameters, baseModel, Consenting(targets), initialWeights, startRound: round, lastRound: round) with { ServerState = round == 1 ? null : await state.ReadServerStateAsync(round - 1, cancellationToken) };
        if (FederationOptionsMapper.NegativeTransfer(federation) is { } response)
        {
            // Each partner's local-only model, trained once (first step) from the base model: what the guard compares against.
            var references = await state.LocalOnlyReferencesAsync(
                async () => await LocalOnlyReferences.ComputeAsync(
                    BaselinePlan(job, parameters, baseModel, Consenting(targets), await BaseWeightsAsync(baseModel, cancellationToken)), ClientTimeout, cancellationToken),
                cancellationToken);
            plan = plan with { NegativeTransfer = new NegativeTransferGuard(response, references) { FirstRound = NegativeTransferGuard.SecondHalf(parameters.Rounds) } };
        }

        var noiseSeed = federation.Privacy is null ? (int?)null : await state.NoiseSeedAsync(cancellationToken);
        var observer = new RoundObserver(execution, targets, parameters.Rounds);
        foreach (var withdrawn in targets.Where(t => !t.Consents))
        {
            observer.ParticipantDropped(round, withdrawn.PartnerId.ToString(), ConsentWithdrawnReason);
        }

        var trainer = new FederatedTrainer(FederationOptionsMapper.TrainerOptions(federation, ClientTimeout, evaluateFinalModel: false, noiseSeed));
        var result = await trainer.RunAsync(plan, observer, cancellationToken);
        await observer.FlushAsync();
        if (result.Rounds.Count == 0)
        {
            // The ε budget stops the job before this round: the previous model carries through the remaining rounds untrained.
            return await RecordSkippedRoundAsync(execution, parameters, state, round, initialWeights, plan.ServerState, result.StoppedEarly, cancellationToken);
        }

        var summary = result.Rounds.Single();

        var metrics = new List<RoundMetric>();
        foreach (var client in summary.Clients)
        {
            var metric = MetricFor(job.Id, targets, summary.Round, client.PartnerId, client.DomainId);
            metric.SampleCount = client.SampleCount;
            metric.TrainLoss = client.TrainLoss;
            metric.ValidationLoss = client.ValidationLoss;
            metric.ValidationAccuracy = client.ValidationAccuracy;
            metric.Epsilon = summary.Epsilon;
            FederationJobState.AddTraffic(metric, summary);
            metrics.Add(metric);
        }

        foreach (var dropped in summary.Dropped)
        {
            var metric = MetricFor(job.Id, targets, summary.Round, dropped.PartnerId, dropped.DomainId);
            metric.Dropped = true;
            metric.DropReason = dropped.Reason;
            metric.Rejected = dropped.Reason.StartsWith("update rejected", StringComparison.Ordinal);
            metric.Epsilon = summary.Epsilon;
            FederationJobState.AddTraffic(metric, summary);
            metrics.Add(metric);
        }

        foreach (var withdrawn in targets.Where(t => !t.Consents))
        {
            metrics.Add(new RoundMetric
            {
                JobId = job.Id,
                Round = summary.Round,
                PartnerId = withdrawn.PartnerId,
                PartnerName = withdrawn.PartnerName,
                DomainId = withdrawn.DomainId,
                DomainName = withdrawn.DomainName,
                Dropped = true,
                DropReason = ConsentWithdrawnReason,
            });
        }

        // The averaged model's own validation numbers per domain: what the page charts round by round.
        metrics.ForEach(m => FineTuningEvaluationRecorder.ApplyGlobal(m, summary.GlobalEvaluations));
        var reactions = string.Concat(summary.Reactions.Select(r => $"; {targets.FirstOrDefault(t => t.DomainId.ToString() == r.DomainId)?.PartnerName ?? r.PartnerId} {r.Describe()}"));
        var roundMessage = $"Round {round}/{parameters.Rounds}: global model validation accuracy {summary.GlobalValidationAccuracy:P1}{reactions}";

        // The checkpoint first, so a recorded round always has its weights. Rewriting it on a second delivery is harmless:
        // the same seed, the same previous checkpoint, the same weights.
        await artifacts.SaveAsync(CheckpointKey(job.Id, round), result.FinalWeightsSafetensors, cancellationToken);
        int? stoppedAt;
        await state.SaveServerStateAsync(round, summary.ServerState, cancellationToken);
        await using (var db = await execution.DbFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var advanced = await db.Jobs.Where(j => j.Id == job.Id && j.CurrentRound == round - 1)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(j => j.CurrentRound, round)
                          .SetProperty(j => j.Progress, (double)round / parameters.Rounds * 0.9)
                          .SetProperty(j => j.ProgressMessage, roundMessage),
                    cancellationToken);
            if (advanced == 0)
            {
                return false;
            }

            db.RoundMetrics.AddRange(metrics);
            await db.SaveChangesAsync(cancellationToken);
            stoppedAt = await EarlyStoppingAsync(db, job, parameters, round, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        job.CurrentRound = stoppedAt ?? round;
        job.Progress = (double)round / parameters.Rounds * 0.9;
        execution.Notifier.Publish(JobEvents.From(job, JobEventKind.RoundCompleted) with
        {
            Round = round,
            TotalRounds = parameters.Rounds,
            Metrics = metrics.Select(m => new PartnerRoundMetrics(m.PartnerId, m.PartnerName, m.SampleCount, m.TrainLoss, m.ValidationLoss, m.ValidationAccuracy, m.Dropped)).ToList(),
            Message = $"Round {round} done: global model validation accuracy {summary.GlobalValidationAccuracy:P1}"
                + (summary.Epsilon is { } epsilon ? FormattableString.Invariant($", ε = {epsilon:G4}") : "")
                + (summary.Warning is { } warning ? $" ({warning})" : "")
                + reactions,
            Epsilon = summary.Epsilon,
        });
        return true;
    }

    /// <summary>
    /// Early stopping across round steps: once the global validation loss has not improved for the patience, the remaining
    /// rounds are skipped (the round counter jumps to the last round, so the next step is the model card's). Returns the
    /// new round counter, or null to go on.
    /// </summary>
    private static async Task<int?> EarlyStoppingAsync(Persistence.PortalDbContext db, PortalJob job, FineTuningParameters parameters, int round, CancellationToken cancellationToken)
    {
        if (parameters.EarlyStoppingPatience == 0 || round >= parameters.Rounds)
        {
            return null;
        }

        var recorded = await db.RoundMetrics.AsNoTracking().Where(m => m.JobId == job.Id).ToListAsync(cancellationToken);
        var summaries = FineTuningEvaluationRecorder.GlobalRounds(recorded);
        if (!ValidationLossTrend.ShouldStop(summaries, parameters.EarlyStoppingPatience))
        {
            return null;
        }

        var best = ValidationLossTrend.BestRound(summaries);
        await db.Jobs.Where(j => j.Id == job.Id && j.CurrentRound == round)
            .ExecuteUpdateAsync(
                s => s.SetProperty(j => j.CurrentRound, parameters.Rounds)
                      .SetProperty(j => j.ProgressMessage, $"Early stopping after round {round}: the global validation loss has not improved since round {best}, whose weights are kept."),
                cancellationToken);
        return parameters.Rounds;
    }

    /// <summary>A round the ε budget stopped: its checkpoint and server state are the previous round's, recorded once.</summary>
    private async Task<bool> RecordSkippedRoundAsync(
        JobExecution execution, FineTuningParameters parameters, FederationJobState state, int round, byte[] previousWeights, byte[]? previousState, string? reason,
        CancellationToken cancellationToken)
    {
        var job = execution.Job;
        await artifacts.SaveAsync(CheckpointKey(job.Id, round), previousWeights, cancellationToken);
        await state.SaveServerStateAsync(round, previousState, cancellationToken);
        var message = $"Round {round}/{parameters.Rounds} skipped: {reason ?? "the ε budget is spent"}";
        await using var db = await execution.DbFactory.CreateDbContextAsync(cancellationToken);
        var advanced = await db.Jobs.Where(j => j.Id == job.Id && j.CurrentRound == round - 1)
            .ExecuteUpdateAsync(
                s => s.SetProperty(j => j.CurrentRound, round)
                      .SetProperty(j => j.Progress, (double)round / parameters.Rounds * 0.9)
                      .SetProperty(j => j.ProgressMessage, message),
                cancellationToken);
        if (advanced == 0)
        {
            return false;
        }

        job.CurrentRound = round;
        execution.Notifier.Publish(JobEvents.From(job, JobEventKind.RoundCompleted) with { Round = round, TotalRounds = parameters.Rounds, Message = message });
        return true;
    }

    /// <summary>After the last round: the final model evaluated, local-only baselines, the weights and the model card. Safe to run twice.</summary>
    public async Task<string> RunFinalAsync(JobExecution execution, CancellationToken cancellationToken)
    {
        var job = execution.Job;
        var parameters = execution.Parameters<FineTuningParameters>();
        var (baseModel, targets) = await LoadAsync(execution, parameters, cancellationToken);
        var baseWeights = await artifacts.ReadAsync(baseModel.WeightsArtifact, cancellationToken)
            ?? throw new InvalidOperationException("The base model's weights are missing from the artifact store.");
        // Every round's metrics read once for the final round's choice, the partner results and the card.
        var rounds = await RoundsOf(execution, cancellationToken);
        var choice = ChooseFinalRound(parameters, rounds);
        var finalWeights = await artifacts.ReadAsync(CheckpointKey(job.Id, choice.FinalRound), cancellationToken)
            ?? throw new InvalidOperationException($"The checkpoint of round {choice.FinalRound} is missing from the artifact store.");

        // No rounds left to run: the trainer only evaluates the final model on every domain (validation and test rows),
        // with the negative-transfer reactions of the final round's state (a personalized partner uses its own head).
        var serverState = await new FederationJobState(artifacts, job.Id).ReadServerStateAsync(choice.FinalRound, cancellationToken);
        var plan = Plan(job, parameters, baseModel, Consenting(targets), finalWeights, startRound: choice.FinalRound + 1, lastRound: choice.FinalRound) with { ServerState = serverState };
        var observer = new RoundObserver(execution, targets, parameters.Rounds);
        var result = await new FederatedTrainer(new FederatedTrainerOptions { ClientTimeout = ClientTimeout }).RunAsync(plan, observer, cancellationToken);
        await observer.FlushAsync();

        await execution.ReportAsync(0.92, "Test split: base model and local-only baselines", cancellationToken: cancellationToken);
        var baselinePlan = BaselinePlan(job, parameters, baseModel, Consenting(targets), baseWeights);
        var weightsFile = WeightsFile(result, baseModel, parameters);
        var evaluation = await new FineTuningFinalEvaluator(ClientTimeout).EvaluateAsync(
            result, baselinePlan, targets, rounds, choice, ModelArchitecture.FromJson(baseModel.ArchitectureJson).ClassNames, Sha256Of(weightsFile), cancellationToken);
        var partnerResults = evaluation.Domains.Select(d => PartnerResultOf(d, parameters.EngineOf(d.PartnerId))).ToList();

        await execution.ReportAsync(0.98, "Writing the model card and the model package", cancellationToken: cancellationToken);
        var (card, packageSha256) = await WriteCardAsync(execution, parameters, baseModel, weightsFile, evaluation, partnerResults, rounds, targets, cancellationToken);
        execution.Notifier.Publish(JobEvents.From(job, JobEventKind.ModelCardReady) with
        {
            Message = $"Model card ready: {card.ModelName}",
            Link = $"/jobs/{job.Id}#model-card",
        });
        var heads = await TaskHeadDescriptions.DescribeAsync(execution, parameters, baseModel, targets, evaluation, cancellationToken);
        // PackageSha256: what sha256sum prints for the downloaded package (null when no package could be made).
        return JsonSerializer.Serialize(new { ModelCardId = card.Id, card.ModelName, card.WeightsSha256, PackageSha256 = packageSha256, Partners = partnerResults, Heads = heads });
    }

    internal static string PackageKey(Guid jobId) => $"jobs/{jobId}/package.zip";

    /// <summary>Local-only: the same base model, epoch budget and stopping rule (patience in epochs), each domain's data alone.</summary>
    private static FineTuningPlan BaselinePlan(PortalJob job, FineTuningParameters parameters, BaseModel baseModel, List<Target> targets, byte[] baseWeights) =>
        Plan(job, parameters, baseModel, targets, baseWeights, startRound: 1, lastRound: parameters.Rounds) with
        {
            Local = LocalOptions(parameters, parameters.LocalEpochs) with { EarlyStoppingPatience = parameters.EarlyStoppingPatience * parameters.LocalEpochs },
        };

    private async Task<byte[]> BaseWeightsAsync(BaseModel baseModel, CancellationToken cancellationToken) =>
        await artifacts.ReadAsync(baseModel.WeightsArtifact, cancellationToken)
            ?? throw new InvalidOperationException("The base model's weights are missing from the artifact store.");

    private static FinalRoundChoice ChooseFinalRound(FineTuningParameters parameters, List<RoundMetric> rounds)
    {
        var summaries = FineTuningEvaluationRecorder.GlobalRounds(rounds);
        var roundsRun = summaries.Count == 0 ? parameters.Rounds : summaries[^1].Round;
        var finalRound = FineTuningEvaluationRecorder.FinalRound(summaries, parameters.EarlyStoppingPatience, roundsRun);
        var stopped = roundsRun < parameters.Rounds
            ? $"Early stopping after round {roundsRun} of {parameters.Rounds}: the global validation loss did not improve for {parameters.EarlyStoppingPatience} rounds; round {finalRound}'s weights are kept."
            : null;
        return new FinalRoundChoice(finalRound, roundsRun, stopped);
    }

    /// <summary>
    /// The weights file as downloaded and packaged. Its metadata holds nothing run-specific (no job id or model name), so
    /// identical runs give byte-identical files, and the card states this file's own SHA-256.
    /// </summary>
    private static byte[] WeightsFile(FederatedRunResult result, BaseModel baseModel, FineTuningParameters parameters) =>
        SafeTensorsFormat.ToBytes(result.FinalWeights, new Dictionary<string, string>
        {
            ["format"] = "pt",
            ["ftl_architecture"] = baseModel.ArchitectureJson,
            ["ftl_frozen_layers"] = string.Join(',', parameters.FrozenLayers),
        });

    private static string Sha256Of(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    /// <summary>The card's and the result's per-domain line: test-split accuracies of the base model, local-only and federated, and the engine that trained it.</summary>
    private PartnerResult PartnerResultOf(Core.Jobs.Evaluation.DomainEvaluation d, string engine) => new(
        d.PartnerName,
        d.DomainName,
        d.TrainRows,
        d.Federated?.Rows ?? 0,
        d.BaseModel?.Accuracy.Value,
        d.LocalOnly?.Accuracy.Value,
        d.Federated?.Accuracy.Value,
        d.Federated?.Loss,
        d.RoundsDropped,
        d.Note,
        engine,
        VersionOf(engine));

    /// <summary>The engine's own account of its versions: the one source the card, its JSON and its front matter share.</summary>
    private string VersionOf(string engine) => engines.Contains(engine) ? engines.Get(engine).Version : engine;

    private async Task<(BaseModel BaseModel, List<Target> Targets)> LoadAsync(JobExecution execution, FineTuningParameters parameters, CancellationToken cancellationToken)
    {
        await using var db = await execution.DbFactory.CreateDbContextAsync(cancellationToken);
        var baseModel = await db.BaseModels.AsNoTracking().FirstOrDefaultAsync(m => m.Id == parameters.BaseModelId, cancellationToken)
            ?? throw new InvalidOperationException("The base model no longer exists.");
        var rows = await (from d in db.Domains
                          join p in db.Partners on d.PartnerId equals p.Id
                          where parameters.TargetDomainIds.Contains(d.Id)
                          select new { d.Id, d.Name, PartnerId = p.Id, PartnerName = p.Name, p.Slug, d.TrainingConsent }).ToListAsync(cancellationToken);
        if (rows.Count != parameters.TargetDomainIds.Count)
        {
            throw new InvalidOperationException("A target domain was deleted after the job was scheduled.");
        }

        // In the order of the request, so aggregation sums in the same order on every delivery and after a restart.
        var targets = parameters.TargetDomainIds
            .Select(id => rows.Single(r => r.Id == id))
            .Select(r => new Target(r.Id, r.Name, r.PartnerId, r.PartnerName, agents.For(r.PartnerId, r.Slug)) { Consents = r.TrainingConsent })
            .ToList();
        return (baseModel, targets);
    }

    private static FineTuningPlan Plan(PortalJob job, FineTuningParameters parameters, BaseModel baseModel, List<Target> targets, byte[] initialWeights, int startRound, int lastRound) =>
        FederationOptionsMapper.Apply(BasePlan(job, parameters, baseModel, targets, initialWeights, startRound, lastRound), parameters.Federation ?? new FederationSettings(), LayersOf(baseModel), parameters.Seed);

    private static List<ModelLayer> LayersOf(BaseModel baseModel) => JsonSerializer.Deserialize<List<ModelLayer>>(baseModel.LayersJson) ?? [];

    private static FineTuningPlan BasePlan(PortalJob job, FineTuningParameters parameters, BaseModel baseModel, List<Target> targets, byte[] initialWeights, int startRound, int lastRound) => new()
    {
        // The job id names the run, so each agent's local (FedBN) layers carry over between rounds.
        RunId = job.Id.ToString(),
        Engine = parameters.Engine,
        ArchitectureJson = baseModel.ArchitectureJson,
        InitialWeights = initialWeights,
        FrozenLayers = parameters.FrozenLayers,
        Rounds = lastRound,
        StartRound = startRound,
        Local = LocalOptions(parameters, parameters.LocalEpochs),
        // A participant whose agent trains with another engine than the job's carries its own (read again on every step, so a resumed job keeps it).
        Participants = targets.Select(t => new Participant(t.PartnerId.ToString(), t.DomainId.ToString(), t.Agent) { Engine = EngineOverride(parameters, t.PartnerId) }).ToList(),
        ValidationFraction = parameters.ValidationFraction,
        SplitSeed = parameters.Seed,
    };

    /// <summary>The participant's engine when it is not the job's, else null (the plan's).</summary>
    private static string? EngineOverride(FineTuningParameters parameters, Guid partnerId) =>
        parameters.EngineOf(partnerId) is var engine && !string.Equals(engine, parameters.Engine, StringComparison.OrdinalIgnoreCase) ? engine : null;

    private static RoundMetric MetricFor(Guid jobId, List<Target> targets, int round, string partnerId, string domainId)
    {
        // A partner may take part with several domains: the domain names the participant.
        var target = targets.FirstOrDefault(t => t.DomainId.ToString() == domainId) ?? targets.First(t => t.PartnerId.ToString() == partnerId);
        return new RoundMetric
        {
            JobId = jobId,
            Round = round,
            PartnerId = target.PartnerId,
            PartnerName = target.PartnerName,
            DomainId = target.DomainId,
            DomainName = target.DomainName,
        };
    }

    private static TrainingOptions LocalOptions(FineTuningParameters parameters, int epochs) => new()
    {
        Epochs = epochs,
        BatchSize = parameters.BatchSize,
        LearningRate = (float)parameters.LearningRate,
        Optimizer = OptimizerKind.Adam,
        Seed = parameters.Seed,
        FrozenLayers = parameters.FrozenLayers.ToHashSet(StringComparer.Ordinal),
        WeightDecay = (float)parameters.WeightDecay,
        BalanceClasses = parameters.ClassWeighting == ClassWeighting.Balanced,
    };

    private static async Task<List<RoundMetric>> RoundsOf(JobExecution execution, CancellationToken cancellationToken)
    {
        await using var db = await execution.DbFactory.CreateDbContextAsync(cancellationToken);
        return await db.RoundMetrics.AsNoTracking().Where(m => m.JobId == execution.Job.Id).ToListAsync(cancellationToken);
    }

    private async Task<(ModelCard Card, string? PackageSha256)> WriteCardAsync(
        JobExecution execution, FineTuningParameters parameters, BaseModel baseModel, byte[] weightsFile, FineTuningEvaluation evaluation,
        List<PartnerResult> partners, List<RoundMetric> metrics, List<Target> targets, CancellationToken cancellationToken)
    {
        var architecture = ModelArchitecture.FromJson(baseModel.ArchitectureJson);
        var layers = JsonSerializer.Deserialize<List<ModelLayer>>(baseModel.LayersJson) ?? [];
        var frozen = parameters.FrozenLayers.ToHashSet(StringComparer.Ordinal);
        var frozenParameters = layers.Where(l => frozen.Contains(l.Name)).Sum(l => l.ParameterCount);
        // The global (averaged) model's validation numbers, as the job page charts them.
        var roundLines = FineTuningEvaluationRecorder.GlobalRounds(metrics).Select(r => new RoundLine(
            r.Round,
            metrics.Count(m => m.Round == r.Round && !m.Dropped),
            metrics.Count(m => m.Round == r.Round && m.Dropped),
            r.GlobalValidationLoss,
            r.GlobalValidationAccuracy)).ToList();
        var statistics = await FirstTargetStatistics(execution, parameters, cancellationToken);
        var input = new ModelCardInput
        {
            Job = execution.Job,
            Parameters = parameters,
            BaseModel = baseModel,
            ClassNames = architecture.ClassNames,
            FeatureNames = statistics.FeatureNames,
            Layers = layers,
            Partners = partners,
            Rounds = roundLines,
            WeightsSha256 = evaluation.WeightsSha256,
            TrainableParameters = layers.Sum(l => l.ParameterCount) - frozenParameters,
            FrozenParameters = frozenParameters,
            Strategy = (parameters.Federation ?? new FederationSettings()).Describe(),
            Engine = parameters.Engine,
            EngineVersion = VersionOf(parameters.Engine),
            Evaluation = evaluation,
            Federation = FederationCardFacts.From(parameters.Federation ?? new FederationSettings(), LayersOf(baseModel), parameters.FrozenLayers, metrics, partners, evaluation.Domains),
        };
        var card = new ModelCard
        {
            JobId = execution.Job.Id,
            ModelName = ModelCardWriter.ModelName(input),
            Markdown = ModelCardWriter.ToMarkdown(input),
            Json = ModelCardWriter.ToJson(input),
            WeightsArtifact = $"jobs/{execution.Job.Id}/weights.safetensors",
            WeightsSha256 = input.WeightsSha256,
        };
        await artifacts.SaveAsync(card.WeightsArtifact, weightsFile, cancellationToken);
        // The portable package: the same weights file, the preprocessing of every domain (from its agent), the card.
        var participants = Consenting(targets).Select(t => new Participant(t.PartnerId.ToString(), t.DomainId.ToString(), t.Agent)).ToList();
        string? packageSha256 = null;
        try
        {
            var package = await ModelPackageExporter.BuildAsync(baseModel.ArchitectureJson, weightsFile, participants, parameters.ValidationFraction, cancellationToken);
            // The package's card leaves out the run identifiers: its bytes depend on the run's inputs only.
            var zip = ModelPackageWriter.ToBytes(package.WithModelCard(ModelCardWriter.ToPackageMarkdown(input)));
            await artifacts.SaveAsync(PackageKey(execution.Job.Id), zip, cancellationToken);
            packageSha256 = Sha256Of(zip);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An agent that cannot tell its preprocessing (or vanished) costs the package, not the card and the weights.
            execution.Notifier.Publish(JobEvents.From(execution.Job, JobEventKind.Progress) with { Message = $"No model package: {ex.Message}" });
        }

        await using var db = await execution.DbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Stored with the card in one transaction: the page and the card read the same evaluation.
        var evaluationJson = evaluation.ToJson();
        await db.Jobs.Where(j => j.Id == execution.Job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.EvaluationJson, evaluationJson), cancellationToken);
        execution.Job.EvaluationJson = evaluationJson;
        db.ModelCards.RemoveRange(db.ModelCards.Where(c => c.JobId == execution.Job.Id));
        db.ModelCards.Add(card);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (card, packageSha256);
    }

    private static async Task<DomainStatistics> FirstTargetStatistics(JobExecution execution, FineTuningParameters parameters, CancellationToken cancellationToken)
    {
        await using var db = await execution.DbFactory.CreateDbContextAsync(cancellationToken);
        var json = await db.Domains.Where(d => d.Id == parameters.TargetDomainIds[0]).Select(d => d.SummaryJson).FirstAsync(cancellationToken);
        return DomainStatistics.FromSummaryJson(json);
    }

    internal sealed record Target(Guid DomainId, string DomainName, Guid PartnerId, string PartnerName, IFederatedAgent Agent)
    {
        /// <summary>The domain's training consent as the step starts: a withdrawal applies from the next round.</summary>
        public bool Consents { get; init; } = true;
    }

    internal const string ConsentWithdrawnReason = "the partner withdrew training consent for this domain";

    /// <summary>The targets still consenting; none left fails the job (permanently: no retry brings consent back).</summary>
    internal static List<Target> Consenting(List<Target> targets)
    {
        var consenting = targets.Where(t => t.Consents).ToList();
        return consenting.Count > 0
            ? consenting
            : throw new InvalidOperationException("Every target domain's partner withdrew training consent: nobody is left to train or evaluate the model.");
    }

    /// <summary>
    /// Publishes a step's live events (round started, partner dropped). The trainer calls observers synchronously; the
    /// writes are chained so they happen in order without blocking the round loop. Recording is the step's, not this.
    /// </summary>
    private sealed class RoundObserver(JobExecution execution, List<Target> targets, int totalRounds) : IFederationObserver
    {
        private readonly Lock _gate = new();
        private Task _pending = Task.CompletedTask;

        public void RoundStarted(int round) => Enqueue(async () =>
        {
            await execution.ReportAsync((round - 1.0) / totalRounds * 0.9, $"Round {round}/{totalRounds}: local training");
            execution.Notifier.Publish(JobEvents.From(execution.Job, JobEventKind.RoundStarted) with { Round = round, TotalRounds = totalRounds });
        });

        public void ParticipantDropped(int round, string partnerId, string reason)
        {
            var target = targets.FirstOrDefault(t => t.PartnerId.ToString() == partnerId);
            Enqueue(() =>
            {
                execution.Notifier.Publish(JobEvents.From(execution.Job, JobEventKind.ParticipantDropped) with
                {
                    Round = round,
                    TotalRounds = totalRounds,
                    Message = $"{target?.PartnerName ?? partnerId} dropped out of round {round}: {reason}",
                });
                return Task.CompletedTask;
            });
        }

        public Task FlushAsync()
        {
            lock (_gate)
            {
                return _pending;
            }
        }

        private void Enqueue(Func<Task> work)
        {
            lock (_gate)
            {
                var previous = _pending;
                _pending = Chain(previous, work);
            }
        }

        private static async Task Chain(Task previous, Func<Task> work)
        {
            await previous;
            await work();
        }
    }
}
