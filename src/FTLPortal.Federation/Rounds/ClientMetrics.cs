namespace FTLPortal.Federation.Rounds;

/// <summary>
/// One participant's result of a round: its training rows, final training loss and validation metrics of its local model
/// (after local training, before averaging), labelled by partner and domain.
/// </summary>
public sealed record ClientMetrics(
    string PartnerId,
    int SampleCount,
    double TrainLoss,
    double ValidationLoss,
    double ValidationAccuracy,
    int ValidationRows)
{
    /// <summary>The domain trained (a partner may take part with several domains).</summary>
    public string DomainId { get; init; } = string.Empty;
}
