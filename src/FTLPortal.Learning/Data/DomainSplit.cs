using System.Text;

namespace FTLPortal.Learning.Data;

/// <summary>
/// A domain's fixed split, made once when the domain is registered and kept beside its data, so that every job
/// (pre-training, fine-tuning, baselines, similarity probes) sees the same rows in the same role whatever its own seed.
/// Rows are dealt into <see cref="FoldCount"/> folds stratified by label, and each row gets a rank within its class, both
/// seeded by the domain id (<see cref="SeedFor"/>). <see cref="Parts"/> takes one fold as the test rows (fold 0 for the
/// hold-out estimate) and, of the other rows, the lowest-ranked of each class as validation rows, so a given validation
/// fraction always picks the same rows and a smaller fraction picks a subset of a larger one.
/// <para>
/// Domains with fewer than <see cref="CrossValidationBelowRows"/> rows get <see cref="EvaluationProtocol.CrossValidation"/>:
/// a single 20 % test fold would hold too few rows to mean anything, so their local estimates are the pooled out-of-fold
/// predictions of all folds.
/// </para>
/// </summary>
public sealed record DomainSplit
{
    /// <summary>Below this many rows a domain is estimated by k-fold cross-validation instead of one hold-out test fold.</summary>
    public const int CrossValidationBelowRows = 100;

    public const int DefaultFoldCount = 5;

    public required int Rows { get; init; }

    public required int Seed { get; init; }

    public required int FoldCount { get; init; }

    public required EvaluationProtocol Protocol { get; init; }

    /// <summary>The fold of each row, 0..<see cref="FoldCount"/> − 1.</summary>
    public required IReadOnlyList<int> Folds { get; init; }

    /// <summary>Each row's position in its class's seeded order (validation rows are taken from the lowest ranks).</summary>
    public required IReadOnlyList<int> Ranks { get; init; }

    /// <summary>A stable seed from the domain id (FNV-1a over its UTF-8 bytes; string.GetHashCode differs per process).</summary>
    public static int SeedFor(string domainId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domainId);
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(domainId))
        {
            hash = unchecked((hash ^ b) * 16777619);
        }

        return unchecked((int)hash);
    }

    public static DomainSplit Create(TabularDataset dataset, string domainId, int foldCount = DefaultFoldCount)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (foldCount < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(foldCount), "A split needs at least two folds.");
        }

        // A domain too small for its folds is still registered; using it fails with a clear error from Parts.
        int seed = SeedFor(domainId);
#pragma warning disable CA5394 // Reproducible shuffling, not security.
        var random = new Random(seed);
#pragma warning restore CA5394
        var folds = new int[dataset.Rows];
        var ranks = new int[dataset.Rows];
        int next = 0;
        for (int c = 0; c < dataset.ClassNames.Count; c++)
        {
            int[] rows = Enumerable.Range(0, dataset.Rows).Where(r => dataset.Labels[r] == c).ToArray();
            random.Shuffle(rows);
            for (int i = 0; i < rows.Length; i++)
            {
                // Dealt round-robin, continuing across classes, so folds differ in size by at most one row.
                folds[rows[i]] = next;
                next = (next + 1) % foldCount;
            }

            // A second, independent order within the class for the validation ranks.
            random.Shuffle(rows);
            for (int i = 0; i < rows.Length; i++)
            {
                ranks[rows[i]] = i;
            }
        }

        return new DomainSplit
        {
            Rows = dataset.Rows,
            Seed = seed,
            FoldCount = foldCount,
            Protocol = dataset.Rows < CrossValidationBelowRows ? EvaluationProtocol.CrossValidation : EvaluationProtocol.HoldOut,
            Folds = folds,
            Ranks = ranks,
        };
    }

    /// <summary>
    /// The rows of each role with fold <paramref name="testFold"/> held out as test rows: validation rows are, per class,
    /// the round(n · <paramref name="validationFraction"/>) lowest-ranked of the class's non-test rows (n of them).
    /// </summary>
    public SplitRows Parts(TabularDataset dataset, double validationFraction, int testFold = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Rows != Rows || Folds.Count != Rows || Ranks.Count != Rows)
        {
            throw new DatasetFormatException($"The stored split covers {Rows} rows but the domain has {dataset.Rows}.");
        }

        if (!(validationFraction > 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), "The validation fraction must be between 0 and 1.");
        }

        if ((uint)testFold >= (uint)FoldCount)
        {
            throw new ArgumentOutOfRangeException(nameof(testFold), $"The test fold must be in 0..{FoldCount - 1}.");
        }

        var train = new List<int>();
        var validation = new List<int>();
        var test = new List<int>();
        for (int c = 0; c < dataset.ClassNames.Count; c++)
        {
            int[] rows = Enumerable.Range(0, Rows).Where(r => dataset.Labels[r] == c).ToArray();
            test.AddRange(rows.Where(r => Folds[r] == testFold));
            int[] rest = rows.Where(r => Folds[r] != testFold).OrderBy(r => Ranks[r]).ToArray();
            int take = (int)Math.Round(rest.Length * validationFraction, MidpointRounding.AwayFromZero);
            validation.AddRange(rest.Take(take));
            train.AddRange(rest.Skip(take));
        }

        if (train.Count == 0 || validation.Count == 0 || test.Count == 0)
        {
            throw new DatasetFormatException(
                $"{dataset.Rows} rows are too few to split into training, validation and test rows.");
        }

        // Ascending row order: a role's rows do not depend on the class order, and the trainer shuffles anyway.
        train.Sort();
        validation.Sort();
        test.Sort();
        return new SplitRows([.. train], [.. validation], [.. test]);
    }
}
