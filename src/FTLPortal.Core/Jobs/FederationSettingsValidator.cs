using System.Globalization;
using FTLPortal.Core.BaseModels;

namespace FTLPortal.Core.Jobs;

/// <summary>Checks a job's <see cref="FederationSettings"/> against its base model and partners; the first problem as a sentence.</summary>
public static class FederationSettingsValidator
{
    /// <summary>The most attempts a round may be given.</summary>
    public const int MaxRoundAttempts = 10;

    /// <summary>The longest round deadline, in seconds (one hour: a round step must end well inside the scheduler's visibility timeout).</summary>
    public const int MaxRoundDeadlineSeconds = 3600;

    /// <summary>The checks that need neither the base model nor the partners (run first, so a contradiction is named at once).</summary>
    public static string? ValidateRequest(FederationSettings? settings) =>
        settings is null ? null : Enums(settings) ?? Strategy(settings) ?? Exclusions(settings) ?? Privacy(settings.Privacy);

    /// <summary>Returns null when the settings can run, otherwise what to change.</summary>
    public static string? Validate(FederationSettings? settings, IReadOnlyList<ModelLayer> layers, IReadOnlyCollection<string> frozen, int participants)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(frozen);
        if (settings is null)
        {
            return null;
        }

        return Enums(settings) ?? Strategy(settings) ?? Selection(settings, participants) ?? Exclusions(settings)
            ?? Privacy(settings.Privacy) ?? Personalization(settings, layers, frozen);
    }

    private static string? Enums(FederationSettings s) =>
        !Enum.IsDefined(s.Strategy) ? $"Unknown strategy; choose one of {string.Join(", ", Enum.GetNames<AggregationStrategyKind>())}."
        : !Enum.IsDefined(s.UpdateEncoding) ? $"Unknown update encoding; choose one of {string.Join(", ", Enum.GetNames<UpdateEncodingKind>())}."
        : !Enum.IsDefined(s.Personalization) ? $"Unknown personalization; choose one of {string.Join(", ", Enum.GetNames<PersonalizationKind>())}."
        : s.Privacy is { } p && !Enum.IsDefined(p.BudgetBehavior) ? "The ε budget behaviour must be Stop or Warn."
        : !Enum.IsDefined(s.NegativeTransferAction) ? $"Unknown negative-transfer action; choose one of {string.Join(", ", Enum.GetNames<NegativeTransferAction>())}."
        : null;

    private static string? Strategy(FederationSettings s)
    {
        if (s.ServerLearningRate is { } eta && !(eta > 0 && eta <= 10 && float.IsFinite((float)eta) && (float)eta > 0))
        {
            return $"The server learning rate must be in (0, 10] (was {Number(eta)}).";
        }

        return s.Strategy switch
        {
            AggregationStrategyKind.FedAvgM when !(s.ServerMomentum is >= 0 and < 1) => $"The server momentum must be in [0, 1) (was {Number(s.ServerMomentum)}).",
            AggregationStrategyKind.FedProx when !(s.ProximalMu > 0 && s.ProximalMu <= 100) => $"FedProx's μ must be in (0, 100] (was {Number(s.ProximalMu)}).",
            AggregationStrategyKind.TrimmedMean when !(s.TrimFraction is > 0 and < 0.5) => $"The trim fraction must be in (0, 0.5) (was {Number(s.TrimFraction)}).",
            AggregationStrategyKind.Krum or AggregationStrategyKind.MultiKrum when s.KrumByzantine < 0 => $"Krum's f (tolerated Byzantine partners) cannot be negative (was {s.KrumByzantine}).",
            AggregationStrategyKind.Krum or AggregationStrategyKind.MultiKrum when s.MinParticipants < s.KrumByzantine + 3 =>
                $"Krum with f = {s.KrumByzantine} needs at least {s.KrumByzantine + 3} updates in every round: set the minimum partners per round to {s.KrumByzantine + 3} or more.",
            AggregationStrategyKind.MultiKrum when s.MultiKrumSelected < 1 || s.MultiKrumSelected > s.MinParticipants - s.KrumByzantine =>
                $"Multi-Krum keeps m of the updates: m must be between 1 and the minimum partners per round minus f ({s.MinParticipants - s.KrumByzantine}); was {s.MultiKrumSelected}.",
            _ => null,
        };
    }

    private static string? Selection(FederationSettings s, int participants)
    {
        if (!(s.ClientFraction is > 0 and <= 1))
        {
            return $"The fraction of partners per round must be in (0, 1] (was {Number(s.ClientFraction)}).";
        }

        if (s.MinParticipants < 1 || s.MinParticipants > participants)
        {
            return $"The minimum partners per round must be between 1 and the number of target domains ({participants}); was {s.MinParticipants}.";
        }

        if (s.RoundDeadlineSeconds is { } deadline && deadline is < 1 or > MaxRoundDeadlineSeconds)
        {
            return $"The round deadline must be between 1 and {MaxRoundDeadlineSeconds} seconds (was {deadline}).";
        }

        if (s.MaxRoundAttempts is < 1 or > MaxRoundAttempts)
        {
            return $"Attempts per round must be between 1 and {MaxRoundAttempts} (was {s.MaxRoundAttempts}).";
        }

        return s.MaxUpdateNorm is { } bound && !(bound > 0 && double.IsFinite(bound))
            ? $"The update norm bound must be positive (was {Number(bound)})."
            : null;
    }

    private static string? Exclusions(FederationSettings s)
    {
        if (s.SecureAggregation && s.IsRobustStrategy)
        {
            return $"Secure aggregation reveals only the sum of the updates, but {s.Strategy} needs each plain update: robust strategies "
                + "(Median, TrimmedMean, Krum, MultiKrum) and secure aggregation exclude each other. Choose FedAvg, FedAvgM, FedProx or a "
                + "server optimizer (FedAdam, FedYogi, FedAdagrad), or turn secure aggregation off.";
        }

        if (s.Privacy is not null && s.IsRobustStrategy)
        {
            return $"Differential privacy adds noise to the sum of clipped updates, but {s.Strategy} needs each plain update: choose FedAvg, "
                + "FedAvgM, FedProx or a server optimizer with differential privacy.";
        }

        if (s.Privacy is { AdaptiveClipping: true } && s.SecureAggregation)
        {
            return "With secure aggregation each partner's agent clips and noises its own update (distributed differential privacy), but adaptive "
                + "clipping needs the count of unclipped updates at the coordinator: choose a fixed clip norm, or turn secure aggregation off.";
        }

        if (s.SecureAggregation && s.UpdateEncoding != UpdateEncodingKind.FullPrecision)
        {
            return "Secure aggregation sends each update as a masked 64-bit fixed-point vector, so float16 or int8 quantization cannot apply: "
                + "choose float32 updates, or turn secure aggregation off.";
        }

        // A personalized partner's update lacks the head, which only the averaging strategies over plain updates handle.
        if (s.NegativeTransferAction == NegativeTransferAction.Personalize && (s.SecureAggregation || s.IsRobustStrategy))
        {
            return "Switching a flagged partner to its own head leaves its head out of its updates, which secure aggregation and the robust strategies "
                + "cannot combine with the others' updates: choose the Leave action, or FedAvg, FedAvgM, FedProx or a server optimizer without secure aggregation.";
        }

        return s.SecureAggregation && s.MinParticipants < 2
            ? "Secure aggregation needs at least 2 updates in every round (a sum of one update is that update): set the minimum partners per round to 2 or more."
            : null;
    }

    private static string? Privacy(DifferentialPrivacySettings? p)
    {
        if (p is null)
        {
            return null;
        }

        if (!(p.NoiseMultiplier > 0 && p.NoiseMultiplier <= 100))
        {
            return $"The DP noise multiplier must be in (0, 100] (was {Number(p.NoiseMultiplier)}); without noise there is no privacy.";
        }

        if (!(p.ClipNorm > 0 && double.IsFinite(p.ClipNorm)))
        {
            return $"The DP clip norm must be positive (was {Number(p.ClipNorm)}).";
        }

        if (!(p.Delta is > 0 and < 1))
        {
            return $"DP δ must be in (0, 1) (was {Number(p.Delta)}); 1e-5 is usual.";
        }

        if (p.EpsilonBudget is { } budget && !(budget > 0 && double.IsFinite(budget)))
        {
            return $"The ε budget must be positive (was {Number(budget)}).";
        }

        return p.AdaptiveClipping && !(p.TargetQuantile is > 0 and < 1)
            ? $"The adaptive clipping quantile must be in (0, 1) (was {Number(p.TargetQuantile)})."
            : null;
    }

    private static string? Personalization(FederationSettings s, IReadOnlyList<ModelLayer> layers, IReadOnlyCollection<string> frozen)
    {
        if (s.PersonalLayers.Count > 0 && !FederationLayerPlan.HasPersonalHead(s.Personalization))
        {
            return "Personal layers apply only to FedPer, FedRep and MultiTask.";
        }

        if (s.Personalization == PersonalizationKind.FedBN && !layers.Any(l => l.Kind == FederationLayerPlan.BatchNormKind && !frozen.Contains(l.Name)))
        {
            return "FedBN keeps batch-normalization layers local, and this base model has none that is trainable: choose FedPer or FedRep to keep the head local.";
        }

        if (s.Personalization == PersonalizationKind.FedRep && s.HeadEpochs is < 1 or > 100)
        {
            return $"FedRep's head epochs must be between 1 and 100 (was {s.HeadEpochs}).";
        }

        if (FederationLayerPlan.HasPersonalHead(s.Personalization))
        {
            var personal = FederationLayerPlan.PersonalLayers(layers, frozen, s);
            var byName = layers.ToDictionary(l => l.Name, StringComparer.Ordinal);
            if (personal.FirstOrDefault(n => !byName.TryGetValue(n, out var l) || l.ParameterCount == 0) is { } unknown)
            {
                return $"Personal layer '{unknown}' is not a layer with weights of the base model.";
            }

            if (personal.FirstOrDefault(frozen.Contains) is { } both)
            {
                return $"Layer '{both}' cannot be both frozen and personal.";
            }

            var roles = FederationLayerPlan.Roles(layers, frozen, s);
            if (personal.Count == 0 || !roles.Any(r => r.Role == FederationLayerRole.Shared))
            {
                return $"{s.Personalization} keeps the head local and shares the rest: leave at least one trainable layer that is neither frozen nor personal.";
            }

            // Each partner re-sizes the output layer to its own classes, so that layer must be its head (and trainable).
            if (s.Personalization == PersonalizationKind.MultiTask
                && layers.LastOrDefault(l => l.ParameterCount > 0) is { } output && !personal.Contains(output.Name))
            {
                return $"MultiTask gives each partner its own output layer sized to its classes: the head must include the output layer '{output.Name}', and it cannot be frozen.";
            }
        }

        return null;
    }

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
