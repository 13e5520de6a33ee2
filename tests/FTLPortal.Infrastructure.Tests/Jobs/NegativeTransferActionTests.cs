using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Jobs.Evaluation;
using FTLPortal.Core.ModelCards;
using FTLPortal.Infrastructure.Seeding;
using FTLPortal.Learning.Data;
using Xunit.Abstractions;

namespace FTLPortal.Infrastructure.Tests.Jobs;

/// <summary>The optional reaction to negative transfer through the real job handler, on the demo federation's concept-shifted partner.</summary>
public sealed class NegativeTransferActionTests : IAsyncLifetime
{
    private readonly ITestOutputHelper _output;
    private PortalHost _host = null!;

    public NegativeTransferActionTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public async Task InitializeAsync() => _host = await PortalHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task FineTuningJob_DemoShiftedPartnerNoWorse_WithEachNegativeTransferAction()
    {
        var domains = await _host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);
        var model = await _host.PretrainAsync(domains.Single(d => d.Name == "northwind-registry").Id, hiddenSize: 16, epochs: 3);
        var shifted = domains.Single(d => d.Name == "fabrikam-screening").Id;
        var results = new Dictionary<NegativeTransferAction, DomainEvaluation>();
        foreach (var action in Enum.GetValues<NegativeTransferAction>())
        {
            var job = await RunAsync(model.Id, domains.Select(d => d.Id).ToList(), action);
            results[action] = FineTuningEvaluation.FromJson(job.EvaluationJson)!.Domains.Single(d => d.DomainId == shifted);
            _output.WriteLine($"{action}: federated {EvaluationTable.Format(results[action].Federated?.BalancedAccuracy)}, local-only {EvaluationTable.Format(results[action].LocalOnly?.BalancedAccuracy)}; {results[action].NegativeTransferReaction ?? "not flagged"}");
        }

        // Measured on 2026-12-02 in three runs (each host draws new domain ids, hence new fixed splits): the demo's shift
        // (0.6 rad concept, 0.5 label) is mild and the federation does not hurt fabrikam-screening beyond the intervals
        // (test balanced accuracy federated 84.8-90.6 %, local-only 85.2-94.1 %): never flagged, so both actions leave its
        // result exactly as without them (margin 0). Were it flagged, leaving gives its local-only model and personalizing
        // its own head; the tolerance below covers a test split that disagrees with the validation split that flagged it.
        Assert.Null(results[NegativeTransferAction.None].NegativeTransferReaction);
        foreach (var action in new[] { NegativeTransferAction.Personalize, NegativeTransferAction.Leave })
        {
            double with = results[action].Federated!.BalancedAccuracy.Value, without = results[NegativeTransferAction.None].Federated!.BalancedAccuracy.Value;
            Assert.True(results[action].NegativeTransferReaction is null ? with == without : with >= without - 0.05, $"{action}: {with:F3} vs {without:F3}");
        }
    }

    [Fact]
    public async Task FineTuningJob_FlaggedPartnerLeavesAndCardRecordsIt_WhenConceptShiftIsStrong()
    {
        // The demo's fabrikam domain with the concept shift turned up to 2π/3: the federation clearly hurts it.
        var fabrikam = DemoFederationSeeder.Partners.Single(p => p.Slug == "fabrikam");
        var options = DemoFederationSeeder.Domains.Single(d => d.PartnerSlug == "fabrikam").Options with { ConceptShift = 2 * Math.PI / 3 };
        var rotated = await _host.RegisterDomainAsync(fabrikam.Id, "fabrikam-rotated", SyntheticDomains.Generate(options));
        var domains = await _host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);
        var model = await _host.PretrainAsync(domains.Single(d => d.Name == "northwind-registry").Id, hiddenSize: 16, epochs: 3);
        var targets = domains.Where(d => d.Name != "fabrikam-screening").Select(d => d.Id).ToList();

        var none = await RunAsync(model.Id, targets, NegativeTransferAction.None, rounds: 8, learningRate: 0.01);
        var leave = await RunAsync(model.Id, targets, NegativeTransferAction.Leave, rounds: 8, learningRate: 0.01);

        var before = FineTuningEvaluation.FromJson(none.EvaluationJson)!.Domains.Single(d => d.DomainId == rotated);
        var after = FineTuningEvaluation.FromJson(leave.EvaluationJson)!.Domains.Single(d => d.DomainId == rotated);
        _output.WriteLine($"none: {EvaluationTable.Format(before.Federated?.BalancedAccuracy)} (local-only {EvaluationTable.Format(before.LocalOnly?.BalancedAccuracy)}); leave: {EvaluationTable.Format(after.Federated?.BalancedAccuracy)}; {after.NegativeTransferReaction}");
        Assert.Null(before.NegativeTransferReaction);
        Assert.StartsWith("left after round ", after.NegativeTransferReaction, StringComparison.Ordinal);
        // Its result is its local-only model, no worse than staying. Measured on 2026-12-02 (test balanced accuracy; each
        // host draws new splits): 6 rounds, staying 41.9 % / 44.7 %, leaving after round 4 84.5 % / 90.4 %; 8 rounds at
        // learning rate 0.01, staying 47.6 % / 46.2 %, leaving after round 5 98.6 % / 95.7 % (margins 42.6 to 51.0 points).
        Assert.True(after.Federated!.BalancedAccuracy.Value >= before.Federated!.BalancedAccuracy.Value + 0.2, $"{after.Federated.BalancedAccuracy.Value:F3} vs {before.Federated.BalancedAccuracy.Value:F3}");
        Assert.Equal(after.LocalOnly!.BalancedAccuracy, after.Federated.BalancedAccuracy);

        // It trained no round after the one it left after; the others did.
        var leftAfter = int.Parse(after.NegativeTransferReaction!["left after round ".Length..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        var rounds = await _host.Get<IJobService>().GetRoundsAsync(PortalHost.Scientist, leave.Id, default);
        Assert.DoesNotContain(rounds, r => r.DomainId == rotated && r.Round > leftAfter);
        Assert.Contains(rounds, r => r.DomainId != rotated && r.Round == 8);

        // Switching to its own head instead: its later updates leave the head out and it is scored with its own head.
        var personalize = await RunAsync(model.Id, targets, NegativeTransferAction.Personalize, rounds: 8, learningRate: 0.01);
        var own = FineTuningEvaluation.FromJson(personalize.EvaluationJson)!.Domains.Single(d => d.DomainId == rotated);
        _output.WriteLine($"personalize: {EvaluationTable.Format(own.Federated?.BalancedAccuracy)}; {own.NegativeTransferReaction}");
        Assert.StartsWith("switched to its own head after round ", own.NegativeTransferReaction, StringComparison.Ordinal);
        // Measured (8 rounds, flagged after round 5): 47.6 % → 54.4 % and 46.2 % → 67.1 %: its head has three rounds to learn
        // while the backbone is still averaged with partners eight times its size (its own validation accuracy after local
        // training rose 45 % → 55 % → 72 % over rounds 6-8). The assertion asks for no worse.
        Assert.True(own.Federated!.BalancedAccuracy.Value >= before.Federated.BalancedAccuracy.Value, $"{own.Federated.BalancedAccuracy.Value:F3} vs {before.Federated.BalancedAccuracy.Value:F3}");

        var card = await _host.Get<IModelCardService>().FindByJobAsync(PortalHost.Scientist, leave.Id, default);
        Assert.Contains($"Fabrikam Labs {FTLPortal.Infrastructure.ModelCards.MarkdownText.Escape(after.NegativeTransferReaction)}", card!.Markdown, StringComparison.Ordinal);
        Assert.Contains("Negative transfer, acted on: Fabrikam Labs left after round", card.Markdown, StringComparison.Ordinal);
    }

    private async Task<PortalJob> RunAsync(Guid modelId, List<Guid> targets, NegativeTransferAction action, int rounds = 6, double learningRate = 0.005)
    {
        var parameters = new FineTuningParameters
        {
            BaseModelId = modelId,
            TargetDomainIds = targets,
            Rounds = rounds,
            LocalEpochs = 2,
            LearningRate = learningRate,
            Federation = new FederationSettings { NegativeTransferAction = action },
        };
        var request = await _host.Get<IJobService>().RequestFineTuningAsync(PortalHost.Scientist, $"guard {action}", parameters, default);
        Assert.True(request.Succeeded, request.Error);
        var job = await _host.WaitForAsync(request.Job!.Id);
        Assert.True(job.Status == JobStatus.Completed, job.Error);
        return job;
    }
}
