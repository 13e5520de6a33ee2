using FTLPortal.Federation.Agents;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Rounds;

/// <summary>A partner taking part in a federated run: its agent and the domain it trains on.</summary>
public sealed record Participant(string PartnerId, string DomainId, IFederatedAgent Agent);
