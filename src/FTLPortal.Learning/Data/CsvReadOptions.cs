namespace FTLPortal.Learning.Data;

public sealed record CsvReadOptions
{
    public const long DefaultMaxBytes = 10 * 1024 * 1024;

    /// <summary>Files larger than this are refused before they are read to the end.</summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    public char Delimiter { get; init; } = ',';
}
