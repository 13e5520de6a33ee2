namespace FTLPortal.Learning.Training;

/// <summary>The labels of <see cref="EvaluationResult.Split"/>.</summary>
public static class EvaluationSplits
{
    public const string Validation = "validation";

    public const string Test = "test";

    /// <summary>Out-of-fold predictions of a k-fold cross-validation (small domains), pooled over the folds.</summary>
    public const string CrossValidation = "cross-validation";
}
