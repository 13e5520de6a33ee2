using System.Text.Json.Serialization;

namespace FTLPortal.Core.Jobs;

/// <summary>Which layers each partner keeps for itself instead of sharing.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PersonalizationKind>))]
public enum PersonalizationKind
{
    /// <summary>Every trainable layer is shared and averaged.</summary>
    None,

    /// <summary>Batch-normalization layers keep local statistics and weights (Li et al. 2021).</summary>
    FedBN,

    /// <summary>The head stays with each partner and is trained with the backbone (Arivazhagan et al. 2019).</summary>
    FedPer,

    /// <summary>The head stays with each partner; each round trains it first with the backbone frozen, then the backbone with the head frozen (Collins et al. 2021).</summary>
    FedRep,

    /// <summary>
    /// Partner-specific task heads: each partner's head (its output layer sized to its own classes, re-initialised per
    /// partner) stays with it, so partners with different label sets, even different numbers of classes, share one backbone.
    /// </summary>
    MultiTask,
}
