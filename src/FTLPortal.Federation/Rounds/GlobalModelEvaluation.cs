using FTLPortal.Federation.Agents;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Rounds;

/// <summary>
/// Flower-style federated evaluation: the aggregated global model is sent to every participant, which scores it on one
/// part of its domain's fixed split (with its own local FedBN layers for the run). One function for the per-round
/// validation numbers and the final test numbers, so the page and the card read numbers of the same evaluation.
/// </summary>
internal static class GlobalModelEvaluation
{
    /// <summary>
    /// Evaluates <paramref name="weights"/> on every participant concurrently; a participant that fails or times out is left
    /// out and reported through <paramref name="failed"/> (participant, reason). <paramref name="adjust"/> may change a
    /// participant's request (its own head, its kept weights, a bootstrapped report).
    /// </summary>
    public static async Task<IReadOnlyList<ParticipantEvaluation>> RunAsync(
        FineTuningPlan plan,
        byte[] weights,
        string split,
        TimeSpan timeout,
        Action<Participant, string> failed,
        CancellationToken ct,
        Func<Participant, EvaluationRequest, EvaluationRequest>? adjust = null)
    {
        ParticipantEvaluation?[] results = await Task.WhenAll(plan.Participants.Select(async p =>
        {
            var request = new EvaluationRequest
            {
                DomainId = p.DomainId,
                ArchitectureJson = plan.ArchitectureJson,
                Weights = weights,
                ValidationFraction = plan.ValidationFraction,
                SplitSeed = plan.SplitSeed,
                RunId = plan.RunId,
                PersonalLayers = plan.PersonalLayers,
                Split = split,
                OwnHead = plan.TaskHeads,
                HeadSeed = plan.Local.Seed,
                Engine = p.Engine ?? plan.Engine,
            };
            if (adjust is not null)
            {
                request = adjust(p, request);
            }

            try
            {
                EvaluationResult result = await AgentCalls.WithTimeoutAsync(
                    token => p.Agent.EvaluateAsync(request, token), timeout, ct).ConfigureAwait(false);
                return new ParticipantEvaluation(p.PartnerId, p.DomainId, result);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // A participant that cannot evaluate the global model is reported, not fatal.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failed(p, AgentCalls.Describe(ex));
                return null;
            }
        })).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        return results.Where(r => r is not null).Select(r => r!).ToList();
    }

    /// <summary>The mean of one metric over the evaluations, weighted by their rows (NaN when there are none).</summary>
    public static double RowWeightedMean(IReadOnlyList<ParticipantEvaluation> evaluations, Func<EvaluationResult, double> metric)
    {
        long rows = evaluations.Sum(e => (long)e.Validation.Rows);
        if (evaluations.Count == 0)
        {
            return double.NaN;
        }

        return rows > 0
            ? evaluations.Sum(e => metric(e.Validation) * e.Validation.Rows) / rows
            : evaluations.Average(e => metric(e.Validation));
    }
}
