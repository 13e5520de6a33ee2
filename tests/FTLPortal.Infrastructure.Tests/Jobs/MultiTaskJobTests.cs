using System.Collections.Concurrent;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Jobs.Evaluation;
using FTLPortal.Core.ModelCards;
using FTLPortal.Core.Storage;
using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Packaging;
using FTLPortal.Infrastructure.Agents;
using FTLPortal.Infrastructure.Jobs;
using FTLPortal.Infrastructure.Seeding;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Serialization;

namespace FTLPortal.Infrastructure.Tests.Jobs;

/// <summary>Multitask fine-tuning through the real job handler: partners with 3 and 5 classes of their own share a backbone.</summary>
public sealed class MultiTaskJobTests : IAsyncLifetime
{
    private static readonly string[] TriageClasses = ["triage-green", "triage-amber", "triage-red"];
    private static readonly string[] AssayClasses = ["assay-a", "assay-b", "assay-c", "assay-d", "assay-e"];
    private PortalHost _host = null!;

    public async Task InitializeAsync() => _host = await PortalHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task FineTuningJob_CompletesWithOwnHeadsThatNeverLeaveThePartners_WhenClassSetsDiffer()
    {
        var demo = await _host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);
        var model = await _host.PretrainAsync(demo.Single(d => d.Name == "northwind-registry").Id, hiddenSize: 16, epochs: 2);
        var contoso = DemoFederationSeeder.Partners.Single(p => p.Slug == "contoso");
        var fabrikam = DemoFederationSeeder.Partners.Single(p => p.Slug == "fabrikam");
        var triage = await RegisterAsync(contoso.Id, "contoso-triage", 3, 11, TriageClasses);
        var assay = await RegisterAsync(fabrikam.Id, "fabrikam-assay", 5, 12, AssayClasses);
        var agents = _host.Get<AgentDirectory>();
        var recorders = new[] { contoso, fabrikam }.Select(p => new UpdateRecordingAgent(agents.For(p.Id, p.Slug))).ToList();
        agents.Replace(contoso.Id, recorders[0]);
        agents.Replace(fabrikam.Id, recorders[1]);
        var parameters = new FineTuningParameters
        {
            BaseModelId = model.Id,
            TargetDomainIds = [triage, assay],
            Rounds = 3,
            LocalEpochs = 2,
            Federation = new FederationSettings { Personalization = PersonalizationKind.MultiTask, MinParticipants = 2 },
        };

        // Without task heads the base model's classes bind every target: refused, nothing stored.
        var refused = await _host.Get<IJobService>().RequestFineTuningAsync(PortalHost.Scientist, "plain", parameters with { Federation = new FederationSettings() }, default);
        Assert.False(refused.Succeeded);
        Assert.Contains("which the base model does not know", refused.Error, StringComparison.Ordinal);

        var request = await _host.Get<IJobService>().RequestFineTuningAsync(PortalHost.Scientist, "multitask", parameters, default);
        Assert.True(request.Succeeded, request.Error);
        var job = await _host.WaitForAsync(request.Job!.Id);
        Assert.True(job.Status == JobStatus.Completed, job.Error);

        // (b) No update sent to the coordinator carried a head tensor; every one carried the backbone.
        var updates = recorders.SelectMany(r => r.Updates).ToList();
        Assert.NotEmpty(updates);
        Assert.All(updates, u => Assert.DoesNotContain(SafeTensorsFormat.FromBytes(u.Weights).Names, n => n.StartsWith("output.", StringComparison.Ordinal)));
        Assert.All(updates, u => Assert.Contains("dense1.weight", SafeTensorsFormat.FromBytes(u.Weights).Names));
        Assert.All(recorders.SelectMany(r => r.Requests), r => Assert.True(r.OwnHead && r.PersonalLayers.Contains("output")));

        // Every checkpoint, the weights file and the package hold the base model's output layer, untouched: no partner's head.
        var artifacts = _host.Get<IArtifactStore>();
        var baseSet = SafeTensorsFormat.FromBytes((await artifacts.ReadAsync(model.WeightsArtifact, default))!);
        var package = ModelPackageReader.Read(new MemoryStream((await artifacts.ReadAsync(FineTuningJobHandler.PackageKey(job.Id), default))!));
        var released = new[]
        {
            SafeTensorsFormat.FromBytes((await artifacts.ReadAsync(FineTuningJobHandler.CheckpointKey(job.Id, 3), default))!),
            SafeTensorsFormat.FromBytes(package.Weights),
        };
        foreach (var weights in released)
        {
            Assert.Equal(baseSet.Names.Order(StringComparer.Ordinal), weights.Names.Order(StringComparer.Ordinal));
            Assert.Equal(baseSet.Only(["output"]).Sha256(), weights.Only(["output"]).Sha256());
            Assert.NotEqual(baseSet.Only(["dense1"]).Sha256(), weights.Only(["dense1"]).Sha256());
        }

        // (a) Each partner is scored with its own head over its own classes.
        var evaluation = FineTuningEvaluation.FromJson(job.EvaluationJson)!;
        var triageResult = evaluation.Domains.Single(d => d.DomainId == triage);
        var assayResult = evaluation.Domains.Single(d => d.DomainId == assay);
        Assert.Equal(3, triageResult.OwnHeadClasses);
        Assert.Equal(5, assayResult.OwnHeadClasses);
        Assert.Equal(3, triageResult.Federated!.ConfusionMatrix.Count);
        Assert.Equal(5, assayResult.Federated!.ConfusionMatrix.Count);
        Assert.True(triageResult.Federated.Accuracy.Value > 0.5 && assayResult.Federated.Accuracy.Value > 0.3, $"{triageResult.Federated.Accuracy.Value} / {assayResult.Federated.Accuracy.Value}");

        // The card lists each partner's head and its metrics, and none of the partners' label values.
        var card = await _host.Get<IModelCardService>().FindByJobAsync(PortalHost.Scientist, job.Id, default);
        Assert.Contains("Personalization: MultiTask", card!.Markdown, StringComparison.Ordinal);
        Assert.Contains("| Contoso Clinics |", card.Markdown, StringComparison.Ordinal);
        Assert.Contains("| output | 3 |", card.Markdown, StringComparison.Ordinal);
        Assert.Contains("| output | 5 |", card.Markdown, StringComparison.Ordinal);
        Assert.All(TriageClasses.Concat(AssayClasses), c => Assert.DoesNotContain(c, card.Markdown, StringComparison.Ordinal));
        Assert.All(TriageClasses.Concat(AssayClasses), c => Assert.DoesNotContain(c, card.Json, StringComparison.Ordinal));
        Assert.All(TriageClasses.Concat(AssayClasses), c => Assert.DoesNotContain(c, package.ModelCardMarkdown ?? "", StringComparison.Ordinal));

        // A partner admin's view of the result names its own head's classes and not the other partner's.
        var contosoView = await _host.Get<IJobService>().FindAsync(PortalHost.PartnerAdmin("contoso"), job.Id, default);
        Assert.All(TriageClasses, c => Assert.Contains(c, contosoView!.ResultJson, StringComparison.Ordinal));
        Assert.All(AssayClasses, c => Assert.DoesNotContain(c, contosoView!.ResultJson, StringComparison.Ordinal));
    }

    private Task<Guid> RegisterAsync(Guid partnerId, string name, int classes, int seed, string[] classNames)
    {
        var generated = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 300, Classes = classes, Seed = seed, Noise = 0.8 });
        return _host.RegisterDomainAsync(partnerId, name, new TabularDataset(generated.FeatureNames, classNames, generated.Features, generated.Labels));
    }

    /// <summary>Records every training request and every update the partner's agent sends to the coordinator.</summary>
    private sealed class UpdateRecordingAgent(IFederatedAgent inner) : DelegatingAgent(inner)
    {
        public ConcurrentQueue<ModelUpdate> Updates { get; } = new();

        public ConcurrentQueue<LocalTrainingRequest> Requests { get; } = new();

        public override async Task<ModelUpdate> TrainLocalAsync(LocalTrainingRequest request, CancellationToken ct)
        {
            var update = await Inner.TrainLocalAsync(request, ct);
            if (request.RunId is not null)
            {
                // The rounds' updates (the local-only baseline has no run id: it trains alone and is not aggregated).
                Requests.Enqueue(request);
                Updates.Enqueue(update);
            }

            return update;
        }
    }
}
