namespace FTLPortal.Core.Jobs.Evaluation;

/// <summary>The averaged (global) model after one round, scored by every participating domain on its validation rows, weighted by rows.</summary>
public sealed record RoundEvaluation(int Round, double ValidationLoss, double ValidationAccuracy, int Domains);
