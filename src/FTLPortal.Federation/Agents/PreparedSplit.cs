using FTLPortal.Learning.Data;

namespace FTLPortal.Federation.Agents;

/// <summary>A domain's train, validation and test rows, all standardized with <see cref="Standardizer"/> fitted on the train rows.</summary>
internal sealed record PreparedSplit(TabularDataset Train, TabularDataset Validation, TabularDataset Test, Standardizer Standardizer)
{
    public static PreparedSplit From(TabularDataset dataset, DomainSplit split, double validationFraction, int testFold = 0)
    {
        SplitRows rows = split.Parts(dataset, validationFraction, testFold);
        TabularDataset train = dataset.Subset([.. rows.Train]);
        Standardizer standardizer = Standardizer.Fit(train);
        return new PreparedSplit(
            standardizer.Transform(train),
            standardizer.Transform(dataset.Subset([.. rows.Validation])),
            standardizer.Transform(dataset.Subset([.. rows.Test])),
            standardizer);
    }

    public TabularDataset For(string split) => split switch
    {
        Learning.Training.EvaluationSplits.Validation => Validation,
        Learning.Training.EvaluationSplits.Test => Test,
        _ => throw new ArgumentException($"Unknown split '{split}': use 'validation' or 'test'.", nameof(split)),
    };
}
