using System.Text.Json.Serialization;

namespace FTLPortal.Core.Jobs;

/// <summary>How the coordinator combines the partners' updates each round.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AggregationStrategyKind>))]
public enum AggregationStrategyKind
{
    /// <summary>Sample-weighted mean of the updates (McMahan et al. 2017).</summary>
    FedAvg,

    /// <summary>FedAvg with server momentum.</summary>
    FedAvgM,

    /// <summary>FedAvg with a proximal term μ/2·‖w − w_global‖² in local training (Li et al. 2020).</summary>
    FedProx,

    /// <summary>Server-side Adam on the mean change (Reddi et al. 2021).</summary>
    FedAdam,

    /// <summary>Server-side Yogi (Reddi et al. 2021).</summary>
    FedYogi,

    /// <summary>Server-side Adagrad (Reddi et al. 2021).</summary>
    FedAdagrad,

    /// <summary>Coordinate-wise median: robust to a minority of bad updates.</summary>
    Median,

    /// <summary>Coordinate-wise trimmed mean: drops the largest and smallest values of each coordinate.</summary>
    TrimmedMean,

    /// <summary>Krum: the update closest to its neighbours (Blanchard et al. 2017).</summary>
    Krum,

    /// <summary>Multi-Krum: the mean of the several updates Krum scores best.</summary>
    MultiKrum,
}
