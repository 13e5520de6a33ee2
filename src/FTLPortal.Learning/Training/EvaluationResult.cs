namespace FTLPortal.Learning.Training;

public sealed record EvaluationResult(double Loss, double Accuracy, int Rows);
