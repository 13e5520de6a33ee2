using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Jobs.Evaluation;
using FTLPortal.Core.ModelCards;
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
    public async Task FineTuningJob_DemoShiftedPartnerIsFlaggedAndDoesBetter_WhenItLeavesOrPersonalizes()
    {
        // The demo federation as seeded: fabrikam-screening has its class centres rotated 2π/3 against the others.
        var domains = await _host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);
        var model = await _host.PretrainAsync(domains.Single(d => d.Name == "northwind-registry").Id, hiddenSize: 16, epochs: 3);
        var shifted = domains.Single(d => d.Name == "fabrikam-screening").Id;
        var targets = domains.Select(d => d.Id).ToList();

        var none = await RunAsync(model.Id, targets, NegativeTransferAction.None, rounds: 8, learningRate: 0.01);
        var leave = await RunAsync(model.Id, targets, NegativeTransferAction.Leave, rounds: 8, learningRate: 0.01);

        var before = FineTuningEvaluation.FromJson(none.EvaluationJson)!.Domains.Single(d => d.DomainId == shifted);
        var after = FineTuningEvaluation.FromJson(leave.EvaluationJson)!.Domains.Single(d => d.DomainId == shifted);
        _output.WriteLine($"none: {EvaluationTable.Format(before.Federated?.BalancedAccuracy)} (local-only {EvaluationTable.Format(before.LocalOnly?.BalancedAccuracy)}, flagged {before.NegativeTransfer}); leave: {EvaluationTable.Format(after.Federated?.BalancedAccuracy)}; {after.NegativeTransferReaction}");
        // Without an action the partner is flagged and stays; nothing is done about it.
        Assert.True(before.NegativeTransfer, "the demo's concept-shifted partner should be flagged");
        Assert.Null(before.NegativeTransferReaction);
        Assert.StartsWith("left after round ", after.NegativeTransferReaction, StringComparison.Ordinal);
        // Leaving gives its local-only model, clearly better than staying. Measured on 2026-12-02 on the seeded demo (test
        // balanced accuracy; each host draws new domain ids, hence new splits): 8 rounds at learning rate 0.01, staying
        // 39.7 % / 51.4 %, leaving after round 5 94.9 % / 94.9 % (margins 43.5 and 55.2 points; flagged in every run).
        Assert.True(after.Federated!.BalancedAccuracy.Value >= before.Federated!.BalancedAccuracy.Value + 0.2, $"{after.Federated.BalancedAccuracy.Value:F3} vs {before.Federated.BalancedAccuracy.Value:F3}");
        Assert.Equal(after.LocalOnly!.BalancedAccuracy, after.Federated.BalancedAccuracy);

        // It trained no round after the one it left after; the others did.
        var leftAfter = int.Parse(after.NegativeTransferReaction!["left after round ".Length..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        var rounds = await _host.Get<IJobService>().GetRoundsAsync(PortalHost.Scientist, leave.Id, default);
        Assert.DoesNotContain(rounds, r => r.DomainId == shifted && r.Round > leftAfter);
        Assert.Contains(rounds, r => r.DomainId != shifted && r.Round == 8);

        // Switching to its own head instead: its later updates leave the head out and it is scored with its own head.
        var personalize = await RunAsync(model.Id, targets, NegativeTransferAction.Personalize, rounds: 8, learningRate: 0.01);
        var own = FineTuningEvaluation.FromJson(personalize.EvaluationJson)!.Domains.Single(d => d.DomainId == shifted);
        _output.WriteLine($"personalize: {EvaluationTable.Format(own.Federated?.BalancedAccuracy)}; {own.NegativeTransferReaction}");
        Assert.StartsWith("switched to its own head after round ", own.NegativeTransferReaction, StringComparison.Ordinal);
        // Measured (8 rounds, flagged after round 5): 39.7 % → 66.5 %, 51.4 % → 69.3 %: its head has three rounds to learn
        // while the backbone is still averaged with partners eight times its size. The assertion asks for no worse.
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
