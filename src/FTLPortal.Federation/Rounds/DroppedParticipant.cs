using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Rounds;

/// <summary>A partner that left a round, and why.</summary>
public sealed record DroppedParticipant(string PartnerId, string Reason);
