using System.Globalization;
using System.Text;
using FTLPortal.Core.Jobs;

namespace FTLPortal.Infrastructure.ModelCards;

/// <summary>The card's federation section (Markdown and JSON) and its privacy statement.</summary>
internal static class FederationCardSection
{
    public static void AppendMarkdown(StringBuilder sb, FederationCardFacts? facts)
    {
        ArgumentNullException.ThrowIfNull(sb);
        if (facts is null)
        {
            return;
        }

        var c = CultureInfo.InvariantCulture;
        sb.AppendLine("### Federation");
        sb.AppendLine();
        sb.AppendLine(c, $"- Aggregation: {MarkdownText.Escape(facts.Strategy)}.");
        sb.AppendLine(c, $"- Secure aggregation: {(facts.SecureAggregation ? "on (each partner's agent masked its own update with pairwise masks; the coordinator received only masked vectors and unmasked only their sum)" : "off")}.");
        sb.AppendLine(facts.Privacy is { } p
            ? string.Create(c, $"- Differential privacy: client-level DP-FedAvg{(facts.SecureAggregation ? " (distributed: each agent clipped and noised its own update under secure aggregation)" : "")}, noise multiplier {p.NoiseMultiplier:G4}, {(p.AdaptiveClipping ? $"adaptive clip (start {p.ClipNorm:G4}, quantile {p.TargetQuantile:G3})" : $"clip norm {p.ClipNorm:G4}")}, δ = {p.Delta:G3}, budget {(p.EpsilonBudget is { } b ? $"ε ≤ {b:G4} ({p.BudgetBehavior})" : "none")}; final ε = {(facts.FinalEpsilon is { } e ? e.ToString("G4", c) : "n/a")}.")
            : "- Differential privacy: off.");
        sb.AppendLine(c, $"- Update encoding: {Encoding(facts.UpdateEncoding)}; total traffic {Bytes(facts.TotalBytes)}.");
        sb.AppendLine(c, $"- Personalization: {facts.Personalization}{(facts.PersonalLayers.Count > 0 ? $" (kept by each partner, never sent: {string.Join(", ", facts.PersonalLayers.Select(MarkdownText.Escape))})" : "")}.");
        sb.AppendLine();
        if (facts.Personalization == PersonalizationKind.MultiTask)
        {
            sb.AppendLine("- Task heads: the shared backbone is the released weights; each partner trained its own head (its output layer sized to its own classes, first drawn from the job seed and its domain) and kept it: no head left its partner, and the released output layer is the base model's, untouched.");
        }

        sb.AppendLine();
        sb.AppendLine("| Partner | Sent to partner | Received from partner | Rejected updates | Own head | Head classes | Accuracy with own head | Balanced accuracy with own head |");
        sb.AppendLine("|---|---:|---:|---:|---|---:|---:|---:|");
        foreach (var line in facts.Partners)
        {
            var head = line.Head.Count > 0 ? string.Join(", ", line.Head.Select(MarkdownText.Escape)) : "–";
            sb.AppendLine(c, $"| {MarkdownText.Escape(line.PartnerName)} | {Bytes(line.BytesToPartner)} | {Bytes(line.BytesFromPartner)} | {line.RejectedUpdates} | {head} | {line.HeadClasses?.ToString(c) ?? "–"} | {Percent(line.HeadAccuracy)} | {Percent(line.HeadBalancedAccuracy)} |");
        }

        foreach (var line in facts.Partners.Where(l => l.NegativeTransferReaction is not null))
        {
            sb.AppendLine();
            sb.AppendLine(c, $"- Negative transfer, acted on: {MarkdownText.Escape(line.PartnerName)} {MarkdownText.Escape(line.NegativeTransferReaction)}.");
        }

        sb.AppendLine();
    }

    /// <summary>What the coordinator could see of the partners' updates.</summary>
    public static string PrivacyStatement(FederationCardFacts? facts) => facts switch
    {
        { SecureAggregation: true, Privacy: not null } => string.Create(CultureInfo.InvariantCulture, $"Model updates can leak information about training rows. Each partner's agent clipped its own change to C = {facts.Privacy.ClipNorm:G4}, added Gaussian noise (z·C/√t each, t the round's unmasking threshold, so the sum carries at least z·C with z = {facts.Privacy.NoiseMultiplier:G4}) and masked it before sending it (distributed differential privacy with secure aggregation): the coordinator received only masked vectors and unmasked only each round's noised sum, and the released model carries client-level differential privacy with ε = {(facts.FinalEpsilon is { } e ? e.ToString("G4", CultureInfo.InvariantCulture) : "n/a")} at δ = {facts.Privacy.Delta:G3}."),
        { SecureAggregation: true } => "Model updates can leak information about training rows. Each partner's agent masked its own update (pairwise masks in fixed point, Bonawitz et al. 2017) before sending it, so the coordinator received only masked vectors and unmasked only each round's sum, never a single partner's update; the sum itself and the per-partner metrics were visible to it.",
        { Privacy: not null } => string.Create(CultureInfo.InvariantCulture, $"Model updates can leak information about training rows; the coordinator saw each partner's clipped update, and the released model carries client-level differential privacy with ε = {(facts.FinalEpsilon is { } e ? e.ToString("G4", CultureInfo.InvariantCulture) : "n/a")} at δ = {facts.Privacy.Delta:G3}."),
        _ => "Model updates can leak information about training rows; this job did not use secure aggregation or differential privacy, so the coordinator saw each partner's plain update.",
    };

    public static object? Json(FederationCardFacts? facts) => facts is null ? null : new
    {
        facts.Strategy,
        facts.SecureAggregation,
        DifferentialPrivacy = facts.Privacy is { } p
            ? new { p.NoiseMultiplier, p.ClipNorm, p.AdaptiveClipping, p.TargetQuantile, p.Delta, p.EpsilonBudget, BudgetBehavior = p.BudgetBehavior.ToString(), facts.FinalEpsilon }
            : null,
        UpdateEncoding = Encoding(facts.UpdateEncoding),
        Personalization = facts.Personalization.ToString(),
        facts.PersonalLayers,
        facts.TotalBytes,
        Partners = facts.Partners,
    };

    private static string Encoding(UpdateEncodingKind kind) => kind switch
    {
        UpdateEncodingKind.HalfPrecision => "float16",
        UpdateEncodingKind.ScaledByte => "int8",
        _ => "float32",
    };

    private static string Percent(double? value) => value is { } v ? (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "–";

    private static string Bytes(long bytes) => bytes >= 1 << 20
        ? (bytes / 1048576.0).ToString("0.00", CultureInfo.InvariantCulture) + " MiB"
        : (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB";
}
