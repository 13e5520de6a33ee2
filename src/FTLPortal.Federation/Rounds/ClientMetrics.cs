using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Rounds;

/// <summary>One partner's result of a round: its training rows, final training loss and validation metrics of its local model.</summary>
public sealed record ClientMetrics(
    string PartnerId,
    int SampleCount,
    double TrainLoss,
    double ValidationLoss,
    double ValidationAccuracy,
    int ValidationRows);
