namespace FTLPortal.Core.Jobs;

public enum JobKind
{
    Similarity,
    Pretraining,
    FineTuning,
}
