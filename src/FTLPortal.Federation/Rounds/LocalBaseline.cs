using FTLPortal.Federation.Agents;

namespace FTLPortal.Federation.Rounds;

/// <summary>
/// The model card's comparison point: each participant trains from the plan's initial weights on its own data alone for
/// <c>Rounds × Local.Epochs</c> epochs (the same freeze plan, the same fixed split) and reports its validation and test metrics. Run it
/// with the base model's weights as <see cref="FineTuningPlan.InitialWeights"/>, not a resumed checkpoint.
/// </summary>
public sealed class LocalBaseline
{
    private readonly TimeSpan _clientTimeout;

    public LocalBaseline(TimeSpan? clientTimeout = null)
    {
        _clientTimeout = clientTimeout ?? new FederatedTrainerOptions().ClientTimeout;
        if (_clientTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(clientTimeout), "The client timeout must be positive.");
        }
    }

    /// <summary>Runs every participant's baseline concurrently; a failing participant yields a result with <see cref="LocalBaselineResult.Error"/>.</summary>
    public async Task<IReadOnlyList<LocalBaselineResult>> RunAsync(FineTuningPlan plan, CancellationToken ct = default) =>
        await RunAsync(plan, bootstrapValidation: false, ct).ConfigureAwait(false);

    /// <summary>As <see cref="RunAsync(FineTuningPlan, CancellationToken)"/>; with <paramref name="bootstrapValidation"/> the validation metrics carry intervals.</summary>
    public async Task<IReadOnlyList<LocalBaselineResult>> RunAsync(FineTuningPlan plan, bool bootstrapValidation, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        FederatedTrainer.ValidatePlan(plan);
        var frozen = new HashSet<string>(plan.FrozenLayers, StringComparer.Ordinal);
        LocalBaselineResult[] results = await Task.WhenAll(plan.Participants.Select(async p =>
        {
            var request = new LocalTrainingRequest
            {
                Round = 0,
                DomainId = p.DomainId,
                ArchitectureJson = plan.ArchitectureJson,
                GlobalWeights = plan.InitialWeights,
                FrozenLayers = plan.FrozenLayers,
                Training = plan.Local with
                {
                    Epochs = checked(plan.Rounds * plan.Local.Epochs),
                    Seed = plan.Local.Seed + 1,
                    FrozenLayers = frozen,
                },
                ValidationFraction = plan.ValidationFraction,
                SplitSeed = plan.SplitSeed,
                EvaluateTest = !bootstrapValidation,
                BootstrapValidation = bootstrapValidation,
                MetricsOnly = true,
                // Multitask: local-only training also needs the domain's own head (kept nowhere: no run id).
                PersonalLayers = plan.TaskHeads ? plan.PersonalLayers : [],
                OwnHead = plan.TaskHeads,
                HeadSeed = plan.Local.Seed,
                Engine = p.Engine ?? plan.Engine,
            };
            try
            {
                ModelUpdate update = await AgentCalls.WithTimeoutAsync(
                    token => p.Agent.TrainLocalAsync(request, token), _clientTimeout, ct).ConfigureAwait(false);
                return new LocalBaselineResult(p.PartnerId, p.DomainId, update.SampleCount, update.Validation, null)
                {
                    Test = update.Test,
                    CrossValidated = update.CrossValidated,
                };
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // A partner whose baseline fails is reported in its result; the others still count.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                return new LocalBaselineResult(p.PartnerId, p.DomainId, 0, null, AgentCalls.Describe(ex));
            }
        })).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        return results;
    }
}
