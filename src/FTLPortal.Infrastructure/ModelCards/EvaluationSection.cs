using System.Globalization;
using System.Text;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Jobs.Evaluation;

namespace FTLPortal.Infrastructure.ModelCards;

/// <summary>
/// The card's evaluation: the model choice and, per domain, the test-split metrics with bootstrap 95 % intervals of the
/// federated model, the base model and local-only fine-tuning, with the negative-transfer flag. It renders the stored
/// <see cref="FineTuningEvaluation"/>, the object the job page shows, so both read the same numbers with the same labels.
/// </summary>
internal static class EvaluationSection
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>"logistic regression" or "MLP (2 hidden layers)", then the regularization and stopping choices.</summary>
    public static string ModelChoice(ModelCardInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var p = input.Parameters;
        var hidden = input.Layers.Count(l => l.ParameterCount > 0) - 1;
        var model = hidden <= 0 ? "logistic regression (no hidden layer)" : $"multilayer perceptron ({hidden} hidden layer{(hidden == 1 ? "" : "s")})";
        var stopping = p.EarlyStoppingPatience > 0 ? $"early stopping after {p.EarlyStoppingPatience} rounds without a lower global validation loss (best round kept)" : "no early stopping";
        var weighting = p.ClassWeighting == ClassWeighting.Balanced ? "balanced class weights" : "unweighted loss";
        return string.Create(C, $"{model}; weight decay {p.WeightDecay}; {weighting}; {stopping}; validation fraction {p.ValidationFraction} of the non-test rows");
    }

    public static void AppendMarkdown(StringBuilder sb, ModelCardInput input)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(input);
        var e = input.Evaluation;
        sb.AppendLine(C, $"Final numbers on each domain's fixed **test** rows (never trained on by anything), with bootstrap 95 % intervals ({e.BootstrapSamples} resamples). The final model is the global model of round {e.FinalRound}.");
        if (e.StoppedEarly is not null)
        {
            sb.AppendLine();
            sb.AppendLine(MarkdownText.Escape(e.StoppedEarly));
        }

        foreach (var d in e.Domains)
        {
            sb.AppendLine();
            sb.AppendLine(C, $"### {Md(d.DomainName)} ({Md(d.PartnerName)})");
            sb.AppendLine();
            if (d.NegativeTransfer)
            {
                sb.AppendLine(C, $"**Negative transfer:** the federated model's {FineTuningEvaluation.FlagMetric} is below local-only fine-tuning beyond both intervals.");
                sb.AppendLine();
            }

            if (d.OwnHeadClasses is { } own)
            {
                sb.AppendLine(C, $"Own task head: {own} classes of this partner's own label set (numbered; the names stay with the partner); every metric below is over those classes.");
                sb.AppendLine();
            }

            if (d.NegativeTransferReaction is { } reaction)
            {
                sb.AppendLine(C, $"**Negative-transfer action:** {Md(d.PartnerName)} {Md(reaction)}.");
                sb.AppendLine();
            }

            if (d.CrossValidated)
            {
                sb.AppendLine(C, $"Small domain: its test fold holds only {d.Federated?.Rows ?? 0} rows, so intervals are wide; the local-only estimate is also given {EvaluationTable.CrossValidatedPhrase(d.LocalOnlyCrossValidated)}.");
                sb.AppendLine();
            }

            var columns = EvaluationTable.Columns(d);
            sb.AppendLine("| Metric | " + string.Join(" | ", columns.Select(c => c.Label)) + " |");
            sb.AppendLine("|---|" + string.Concat(columns.Select(_ => "---:|")));
            foreach (var (label, cells) in EvaluationTable.Rows(e, d))
            {
                sb.AppendLine(C, $"| {Md(label)} | {string.Join(" | ", cells)} |");
            }

            if (d.Federated is { } f)
            {
                sb.AppendLine();
                sb.AppendLine(C, $"Confusion matrix of the federated model (rows: true class, columns: predicted{(f.Threshold is { } t ? string.Create(C, $"; threshold {t}") : "")}): {Confusion(f, d.OwnHeadClasses is null ? e.ClassNames : [])}.");
            }

            if (d.Note is not null)
            {
                sb.AppendLine();
                sb.AppendLine(C, $"No complete numbers: {Md(d.Note)}.");
            }
        }
    }

    /// <summary>The model-index metrics of one domain (test split), for the front matter.</summary>
    public static List<Dictionary<string, object?>> ModelIndexMetrics(FineTuningEvaluation evaluation, string domainName)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var f = evaluation.Domains.FirstOrDefault(d => d.DomainName == domainName)?.Federated;
        var metrics = new List<Dictionary<string, object?>>
        {
            Metric("accuracy", f?.Accuracy),
            Metric("balanced_accuracy", f?.BalancedAccuracy),
        };
        if (evaluation.ClassNames.Count == 2)
        {
            metrics.Add(Metric("roc_auc", f?.RocAuc));
        }
        else
        {
            metrics.Add(Metric("f1_macro", f?.MacroF1));
        }

        return metrics;
    }

    /// <summary>The job page's format (<see cref="EvaluationTable.Format"/>).</summary>
    public static string Format(MetricInterval? m) => EvaluationTable.Format(m);

    private static Dictionary<string, object?> Metric(string type, MetricInterval? m) => new()
    {
        ["type"] = type,
        ["value"] = m is null ? null : Math.Round(m.Value, 4),
    };

    private static string Confusion(SplitMetrics m, IReadOnlyList<string> classes) =>
        string.Join("; ", m.ConfusionMatrix.Select((row, i) => $"{Md(i < classes.Count ? classes[i] : i.ToString(C))}: [{string.Join(", ", row.Select(v => v.ToString(C)))}]"));

    private static string Md(string? text) => MarkdownText.Escape(text);
}
