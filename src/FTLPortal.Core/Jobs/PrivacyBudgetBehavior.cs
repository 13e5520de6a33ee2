using System.Text.Json.Serialization;

namespace FTLPortal.Core.Jobs;

/// <summary>What a job does when the next round would spend more than its ε budget.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PrivacyBudgetBehavior>))]
public enum PrivacyBudgetBehavior
{
    /// <summary>End the rounds before the budget is exceeded; the model of the last round within it is kept.</summary>
    Stop,

    /// <summary>Carry on and show a warning.</summary>
    Warn,
}
