using System.Globalization;

namespace FTLPortal.Core.Jobs.Evaluation;

/// <summary>
/// The per-domain table of final numbers, as both the job page and the model card print it: the same columns, row labels
/// and cell text ("72.5% [65.0%, 80.1%]"), so a reader finds the same number under the same label in both.
/// </summary>
public static class EvaluationTable
{
    public const string FederatedColumn = "Federated (test)";
    public const string BaseModelColumn = "Base model (test)";
    public const string LocalOnlyColumn = "Local only (test)";
    public const string CrossValidatedColumn = "Local only (k-fold)";
    public const string FoldMeanRow = "Fold-mean accuracy (95 % t interval)";

    /// <summary>"Local only (k-fold, k = 5)": the column of a small domain's cross-validated local-only estimate.</summary>
    public static string CrossValidatedColumnOf(int folds) => string.Create(CultureInfo.InvariantCulture, $"Local only (k-fold, k = {folds})");

    public static IReadOnlyList<(string Label, SplitMetrics? Metrics)> Columns(DomainEvaluation domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var columns = new List<(string, SplitMetrics?)> { (FederatedColumn, domain.Federated), (BaseModelColumn, domain.BaseModel), (LocalOnlyColumn, domain.LocalOnly) };
        if (domain.LocalOnlyCrossValidated is { } cv)
        {
            columns.Add((cv.Folds is { } k ? CrossValidatedColumnOf(k) : CrossValidatedColumn, cv));
        }

        return columns;
    }

    /// <summary>Binary: accuracy, balanced accuracy, ROC AUC, sensitivity, specificity; multiclass: macro-F1 and recall per class; then the majority baseline.</summary>
    public static IReadOnlyList<(string Label, IReadOnlyList<string> Cells)> Rows(FineTuningEvaluation evaluation, DomainEvaluation domain)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var columns = Columns(domain);
        var rows = new List<(string, IReadOnlyList<string>)>();
        void Row(string label, Func<SplitMetrics, string> cell) =>
            rows.Add((label, columns.Select(c => c.Metrics is null ? "n/a" : cell(c.Metrics)).ToList()));

        Row("Rows", m => m.Rows.ToString("N0", CultureInfo.InvariantCulture));
        Row("Accuracy", m => Format(m.Accuracy));
        Row("Balanced accuracy", m => Format(m.BalancedAccuracy));
        // A partner's own task head (multitask) has its own classes, shown by index: their names are its raw labels.
        IReadOnlyList<string> classes = domain.OwnHeadClasses is { } own
            ? Enumerable.Range(1, own).Select(i => "class " + i.ToString(CultureInfo.InvariantCulture)).ToList()
            : evaluation.ClassNames;
        if (classes.Count == 2)
        {
            Row("ROC AUC", m => Format(m.RocAuc));
            Row("Sensitivity", m => Format(m.Sensitivity));
            Row("Specificity", m => Format(m.Specificity));
        }
        else
        {
            Row("Macro-F1", m => Format(m.MacroF1));
            for (var c = 0; c < classes.Count; c++)
            {
                var index = c;
                Row($"Recall of {classes[c]}", m => index < m.PerClassRecall.Count ? Format(m.PerClassRecall[index]) : "n/a");
            }
        }

        Row("Majority-class baseline accuracy", m => Format(m.MajorityBaselineAccuracy));
        if (columns.Any(c => c.Metrics?.FoldMeanAccuracy is not null))
        {
            // The k folds' mean accuracy with its t interval: the fold-to-fold spread of a small domain's estimate.
            Row(FoldMeanRow, m => Format(m.FoldMeanAccuracy));
        }

        return rows;
    }

    /// <summary>"by k-fold (k = 5) cross-validation over all its 60 rows, fold-mean accuracy 70.0% [60.0%, 80.0%]": the page's and the card's wording.</summary>
    public static string CrossValidatedPhrase(SplitMetrics? cv) => cv is null
        ? "by k-fold cross-validation over all its rows"
        : $"by {cv.Protocol} cross-validation over all its {cv.Rows.ToString(CultureInfo.InvariantCulture)} rows" + (cv.FoldMeanAccuracy is { } mean ? $", fold-mean accuracy {Format(mean)}" : "");

    /// <summary>"72.5% [65.0%, 80.1%]" (value and bootstrap 95 % interval), "72.5%" without an interval, "n/a" without a value.</summary>
    public static string Format(MetricInterval? m) => m is null
        ? "n/a"
        : Percent(m.Value) + (m.Lower is { } lo && m.Upper is { } hi ? $" [{Percent(lo)}, {Percent(hi)}]" : "");

    private static string Percent(double value) => (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
