namespace FTLPortal.Learning.Data;

/// <summary>How a domain's final local estimates are made (see <see cref="DomainSplit"/>).</summary>
public enum EvaluationProtocol
{
    /// <summary>One fixed test fold, never trained on.</summary>
    HoldOut,

    /// <summary>k-fold cross-validation: every fold is the test rows once, predictions pooled (small domains).</summary>
    CrossValidation,
}
