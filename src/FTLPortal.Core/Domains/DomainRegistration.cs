namespace FTLPortal.Core.Domains;

/// <summary>What a partner admin submits to register a domain (the file itself travels as a stream).</summary>
public sealed record DomainRegistration(Guid PartnerId, string Name, string LabelColumn, string OriginalFileName, string RegisteredBy)
{
    /// <summary>One-hot encode every column with a non-numeric cell (one feature per value) instead of refusing the file.</summary>
    public bool OneHotEncodeCategoricals { get; init; }

    /// <summary>Columns to one-hot encode even when their cells are numbers (codes such as a region number).</summary>
    public IReadOnlyList<string> OneHotColumns { get; init; } = [];
}
