namespace FTLPortal.Infrastructure.ModelCards;

/// <summary>A round's aggregate numbers as the card's training-curve table lists them.</summary>
internal sealed record RoundLine(int Round, int Participants, int Dropped, double MeanValidationLoss, double MeanValidationAccuracy);
