using System.Text.Json.Serialization;

namespace FTLPortal.Core.Jobs;

/// <summary>What happens to a layer in a federated job.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FederationLayerRole>))]
public enum FederationLayerRole
{
    /// <summary>No parameters (activations, pooling).</summary>
    NoParameters,

    /// <summary>Kept at the base model's weights: neither trained nor sent.</summary>
    Frozen,

    /// <summary>Trained by every partner, sent and aggregated.</summary>
    Shared,

    /// <summary>Trained by each partner and kept with it (FedBN statistics, FedPer/FedRep head): never sent.</summary>
    Local,

    /// <summary>A partner-specific task head (multitask): re-initialised by each partner for its own classes, trained and kept with it, never sent.</summary>
    Head,
}
