namespace FTLPortal.Learning.Data;

public static class DatasetSplit
{
    /// <summary>A seeded split, stratified by class so both parts keep the class mix.</summary>
    public static (TabularDataset Train, TabularDataset Validation) TrainValidation(
        TabularDataset dataset, double validationFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!(validationFraction > 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), "The validation fraction must be between 0 and 1.");
        }

#pragma warning disable CA5394 // Reproducible shuffling, not security.
        var random = new Random(seed);
#pragma warning restore CA5394
        var train = new List<int>();
        var validation = new List<int>();
        for (int c = 0; c < dataset.ClassNames.Count; c++)
        {
            int[] rows = Enumerable.Range(0, dataset.Rows).Where(r => dataset.Labels[r] == c).ToArray();
            random.Shuffle(rows);
            int take = (int)Math.Round(rows.Length * validationFraction, MidpointRounding.AwayFromZero);
            validation.AddRange(rows.Take(take));
            train.AddRange(rows.Skip(take));
        }

        if (train.Count == 0 || validation.Count == 0)
        {
            throw new DatasetFormatException(
                $"{dataset.Rows} rows are too few to split into training and validation rows.");
        }

        int[] trainRows = [.. train];
        int[] validationRows = [.. validation];
        random.Shuffle(trainRows);
        random.Shuffle(validationRows);
        return (dataset.Subset(trainRows), dataset.Subset(validationRows));
    }
}
