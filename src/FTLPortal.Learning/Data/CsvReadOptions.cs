namespace FTLPortal.Learning.Data;

public sealed record CsvReadOptions
{
    public const long DefaultMaxBytes = 10 * 1024 * 1024;

    public const int DefaultMaxColumns = 2000;

    public const int DefaultMaxRows = 1_000_000;

    /// <summary>Files larger than this are refused before they are read to the end.</summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>
    /// The most columns a header may have, and the most features after one-hot encoding. A longer header is refused while it
    /// is read, before any row.
    /// </summary>
    public int MaxColumns { get; init; } = DefaultMaxColumns;

    /// <summary>The most data rows a file may have.</summary>
    public int MaxRows { get; init; } = DefaultMaxRows;

    public char Delimiter { get; init; } = ',';

    /// <summary>
    /// When true, a column with any non-numeric cell is one-hot encoded (one feature "column=value" per distinct value, in
    /// ordinal order); when false such a column is refused with a message that says so.
    /// </summary>
    public bool OneHotEncodeCategoricals { get; init; }

    /// <summary>
    /// Columns to one-hot encode even when every cell is a number (codes such as a region number); each must be a column of
    /// the header other than the label.
    /// </summary>
    public IReadOnlyCollection<string> OneHotColumns { get; init; } = [];

    /// <summary>The most distinct labels (classes) a file may have.</summary>
    public int MaxClasses { get; init; } = 1000;

    /// <summary>
    /// The most values (rows × features, after one-hot encoding) a dataset may hold in memory: one-hot columns multiply a
    /// small file's size.
    /// </summary>
    public long MaxValues { get; init; } = 50_000_000;

    /// <summary>A categorical column with more distinct values than this is refused (it would be an identifier, not a category).</summary>
    public int MaxCategories { get; init; } = 64;
}
