using FTLPortal.Federation.Agents;

namespace FTLPortal.Federation.Rounds;

/// <summary>
/// A participant of a federated run: one domain of a partner, trained by that partner's agent. A partner may take part
/// with several domains; results are labelled by both.
/// </summary>
public sealed record Participant(string PartnerId, string DomainId, IFederatedAgent Agent)
{
    /// <summary>This participant's engine when it differs from the plan's (<see cref="FineTuningPlan.Engine"/>); null follows the plan.</summary>
    public string? Engine { get; init; }
}
