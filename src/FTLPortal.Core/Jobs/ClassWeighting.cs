namespace FTLPortal.Core.Jobs;

/// <summary>How the training loss weighs the classes.</summary>
public enum ClassWeighting
{
    /// <summary>Every row counts alike.</summary>
    None,

    /// <summary>Classes weighed by rows / (classes · class rows) of the training rows, so a rare class counts as much as a common one.</summary>
    Balanced,
}
