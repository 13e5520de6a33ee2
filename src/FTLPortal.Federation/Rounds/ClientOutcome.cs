using FTLPortal.Federation.Updates;

namespace FTLPortal.Federation.Rounds;

/// <summary>
/// One selected participant's part in a round attempt: its plain update (never under secure aggregation), its metrics
/// when it counted, why it was dropped otherwise, and its traffic.
/// </summary>
internal sealed record ClientOutcome(ClientUpdate? Update, ClientMetrics? Metrics, DroppedParticipant? Dropped, ParticipantTraffic Traffic);
