namespace FTLPortal.Federation.Privacy;

/// <summary>What a run does when its next round would take ε past the budget.</summary>
public enum PrivacyBudgetAction
{
    /// <summary>Stop before that round; the run ends with the rounds so far.</summary>
    Stop,

    /// <summary>Run the round anyway and report a warning (observer and round summary).</summary>
    Warn,
}
