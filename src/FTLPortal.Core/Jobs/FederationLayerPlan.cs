using FTLPortal.Core.BaseModels;

namespace FTLPortal.Core.Jobs;

/// <summary>Which layers of a base model are frozen, shared or kept local under a job's settings.</summary>
public static class FederationLayerPlan
{
    /// <summary>The kind name of batch-normalization layers (the layers FedBN keeps local).</summary>
    public const string BatchNormKind = "batchnorm";

    /// <summary>
    /// The personal (head) layers of FedPer/FedRep/MultiTask: those named in the settings, or else the last layer with
    /// weights that is not frozen. Empty for the other personalizations.
    /// </summary>
    public static IReadOnlyList<string> PersonalLayers(IReadOnlyList<ModelLayer> layers, IReadOnlyCollection<string> frozen, FederationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(frozen);
        ArgumentNullException.ThrowIfNull(settings);
        if (!HasPersonalHead(settings.Personalization))
        {
            return [];
        }

        if (settings.PersonalLayers.Count > 0)
        {
            return settings.PersonalLayers.Distinct(StringComparer.Ordinal).ToList();
        }

        return layers.LastOrDefault(l => l.ParameterCount > 0 && !frozen.Contains(l.Name)) is { } head ? [head.Name] : [];
    }

    /// <summary>True for the personalizations that keep a head with each partner (FedPer, FedRep, MultiTask).</summary>
    public static bool HasPersonalHead(PersonalizationKind kind) =>
        kind is PersonalizationKind.FedPer or PersonalizationKind.FedRep or PersonalizationKind.MultiTask;

    /// <summary>
    /// Each layer's role, in the model's order. Under MultiTask the last layer with weights (the output, re-sized by each
    /// partner to its own classes) is the <see cref="FederationLayerRole.Head"/>; other personal layers are local.
    /// </summary>
    public static IReadOnlyList<(ModelLayer Layer, FederationLayerRole Role)> Roles(
        IReadOnlyList<ModelLayer> layers, IReadOnlyCollection<string> frozen, FederationSettings settings)
    {
        var personal = PersonalLayers(layers, frozen, settings).ToHashSet(StringComparer.Ordinal);
        string? head = settings.Personalization == PersonalizationKind.MultiTask ? layers.LastOrDefault(l => l.ParameterCount > 0)?.Name : null;
        return layers.Select(l => (l, l.ParameterCount == 0 ? FederationLayerRole.NoParameters
            : frozen.Contains(l.Name) ? FederationLayerRole.Frozen
            : l.Name == head && personal.Contains(l.Name) ? FederationLayerRole.Head
            : personal.Contains(l.Name) || (settings.Personalization == PersonalizationKind.FedBN && l.Kind == BatchNormKind) ? FederationLayerRole.Local
            : FederationLayerRole.Shared)).ToList();
    }
}
