namespace FTLPortal.Core.Jobs;

public enum JobEventKind
{
    StatusChanged,
    Progress,
    RoundStarted,
    RoundCompleted,
    ParticipantDropped,
    ModelCardReady,
}
