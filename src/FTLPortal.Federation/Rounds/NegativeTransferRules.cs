using FTLPortal.Federation.Agents;
using FTLPortal.Learning.Metrics;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Rounds;

/// <summary>
/// The round loop's view of <see cref="FineTuningPlan.NegativeTransfer"/>: who is still training, who switched to its own
/// head, how their requests change, and the check after each round. Without a guard it changes nothing.
/// </summary>
internal sealed class NegativeTransferRules
{
    private readonly FineTuningPlan _plan;
    private readonly List<NegativeTransferReaction> _reactions;
    private readonly IReadOnlyList<string> _head;

    public NegativeTransferRules(FineTuningPlan plan, IReadOnlyList<NegativeTransferReaction> restored)
    {
        _plan = plan;
        _reactions = [.. restored];
        // The head a personalizing partner keeps: the last layer with weights that is trained.
        _head = plan.NegativeTransfer is null && restored.Count == 0
            ? []
            : SequentialModel.Create(ModelArchitecture.FromJson(plan.ArchitectureJson), 0).GetWeights().LayerNames
                .Where(l => !plan.FrozenLayers.Contains(l)).TakeLast(1).ToList();
    }

    public IReadOnlyList<NegativeTransferReaction> Reactions => _reactions;

    /// <summary>The participants still training (those that left are out).</summary>
    public IReadOnlyList<Participant> Active => _plan.Participants.Where(p => !Has(p, NegativeTransferResponse.Leave)).ToList();

    public int Departed => _plan.Participants.Count(p => Has(p, NegativeTransferResponse.Leave));

    public LocalTrainingRequest TrainingRequest(Participant participant, LocalTrainingRequest request) =>
        Has(participant, NegativeTransferResponse.Personalize)
            ? request with { DomainId = participant.DomainId, PersonalLayers = Personal(request.PersonalLayers) }
            : request with { DomainId = participant.DomainId };

    public HashSet<string> LocalLayers(Participant participant, HashSet<string> local) =>
        Has(participant, NegativeTransferResponse.Personalize) ? [.. local.Union(_head, StringComparer.Ordinal)] : local;

    /// <summary>Per-round evaluation: the participant's own head once personalized; with a guard, validation intervals for the check.</summary>
    public EvaluationRequest EvaluationRequest(Participant participant, EvaluationRequest request)
    {
        if (_plan.NegativeTransfer is null)
        {
            return request;
        }

        EvaluationRequest adjusted = Has(participant, NegativeTransferResponse.Personalize) ? request with { PersonalLayers = Personal(request.PersonalLayers) } : request;
        return request.Split == EvaluationSplits.Validation && request.Report is null
            ? adjusted with { Report = new ClassificationReportOptions() }
            : adjusted;
    }

    /// <summary>
    /// The final evaluation: a personalized participant with its own head. One that left is scored on the final global
    /// model too (what it would have got); its own result is its local-only model, which the caller has from the baseline.
    /// </summary>
    public EvaluationRequest FinalEvaluationRequest(Participant participant, EvaluationRequest request) =>
        Has(participant, NegativeTransferResponse.Personalize) ? request with { PersonalLayers = Personal(request.PersonalLayers) } : request;

    /// <summary>
    /// Flags (once) each evaluated participant whose global-model validation balanced accuracy is clearly below its
    /// local-only reference, and applies the response from the next round; returns this round's reactions.
    /// </summary>
    public IReadOnlyList<NegativeTransferReaction> Check(int round, IReadOnlyList<ParticipantEvaluation> evaluations, int fewestParticipants)
    {
        if (_plan.NegativeTransfer is not { } guard || round < guard.FirstRound)
        {
            return [];
        }

        var reacted = new List<NegativeTransferReaction>();
        int active = Active.Count;
        foreach (ParticipantEvaluation evaluation in evaluations)
        {
            if (_reactions.Any(r => r.PartnerId == evaluation.PartnerId && r.DomainId == evaluation.DomainId)
                || evaluation.Validation.Report?.BalancedAccuracy is not { } federated
                || guard.References.FirstOrDefault(r => r.PartnerId == evaluation.PartnerId && r.DomainId == evaluation.DomainId) is not { } reference
                || !federated.IsClearlyBelow(reference.BalancedAccuracy))
            {
                continue;
            }

            // Leaving must leave enough participants for the rounds to go on.
            bool applied = guard.Response == NegativeTransferResponse.Personalize || active - 1 >= Math.Max(_plan.MinParticipants, fewestParticipants);
            if (applied && guard.Response == NegativeTransferResponse.Leave)
            {
                active--;
            }

            var reaction = new NegativeTransferReaction(evaluation.PartnerId, evaluation.DomainId, round, guard.Response, federated, reference.BalancedAccuracy, applied);
            _reactions.Add(reaction);
            reacted.Add(reaction);
        }

        return reacted;
    }

    private IReadOnlyList<string> Personal(IReadOnlyList<string> personal) => [.. personal.Union(_head, StringComparer.Ordinal)];

    private bool Has(Participant participant, NegativeTransferResponse response) =>
        _reactions.Any(r => r.Applied && r.Response == response && r.PartnerId == participant.PartnerId && r.DomainId == participant.DomainId);
}
