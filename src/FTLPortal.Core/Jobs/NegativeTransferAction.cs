using System.Text.Json.Serialization;

namespace FTLPortal.Core.Jobs;

/// <summary>The reaction to a partner flagged for negative transfer while the rounds run.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NegativeTransferAction>))]
public enum NegativeTransferAction
{
    /// <summary>The flag is reported; the partner keeps training with the federation.</summary>
    None,

    /// <summary>From the next round the partner keeps its head (the last layer with weights) local and trains it alone.</summary>
    Personalize,

    /// <summary>The partner leaves the remaining rounds and keeps its local-only model, which the flag found clearly better.</summary>
    Leave,
}
