namespace FTLPortal.Federation.Rounds;

/// <summary>The negative-transfer guard's references: each participant's local-only model, trained once, on its validation rows.</summary>
public static class LocalOnlyReferences
{
    /// <summary>
    /// Runs <see cref="LocalBaseline"/> on <paramref name="baselinePlan"/> (the base model's weights, the whole epoch budget)
    /// with validation intervals; a participant whose baseline fails gets no reference and is never flagged.
    /// </summary>
    public static async Task<IReadOnlyList<LocalOnlyReference>> ComputeAsync(FineTuningPlan baselinePlan, TimeSpan clientTimeout, CancellationToken ct)
    {
        IReadOnlyList<LocalBaselineResult> baselines = await new LocalBaseline(clientTimeout).RunAsync(baselinePlan, bootstrapValidation: true, ct).ConfigureAwait(false);
        return baselines
            .Where(b => b.Validation?.Report?.BalancedAccuracy is not null)
            .Select(b => new LocalOnlyReference(b.PartnerId, b.DomainId, b.Validation!.Report!.BalancedAccuracy))
            .ToList();
    }
}
