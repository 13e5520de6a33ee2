namespace FTLPortal.Learning.Data;

public sealed record CsvReadOptions
{
    public const long DefaultMaxBytes = 10 * 1024 * 1024;

    /// <summary>Files larger than this are refused before they are read to the end.</summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    public char Delimiter { get; init; } = ',';

    /// <summary>
    /// When true, a column with any non-numeric cell is one-hot encoded (one feature "column=value" per distinct value, in
    /// ordinal order); when false such a column is refused with a message that says so.
    /// </summary>
    public bool OneHotEncodeCategoricals { get; init; }

    /// <summary>A categorical column with more distinct values than this is refused (it would be an identifier, not a category).</summary>
    public int MaxCategories { get; init; } = 64;
}
