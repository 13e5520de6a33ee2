namespace FTLPortal.Federation.Agents;

/// <summary>How an agent reads an uploaded domain CSV: the label column and which columns it one-hot encodes.</summary>
public sealed record DomainUpload(string LabelColumn)
{
    /// <summary>One-hot encode every column that has a non-numeric cell (otherwise such a column is refused).</summary>
    public bool OneHotEncodeCategoricals { get; init; }

    /// <summary>Columns to one-hot encode even when their cells are numbers (codes such as a region number).</summary>
    public IReadOnlyList<string> OneHotColumns { get; init; } = [];

    /// <summary>True when the upload asks for any one-hot encoding.</summary>
    public bool EncodesCategories => OneHotEncodeCategoricals || OneHotColumns.Count > 0;
}
