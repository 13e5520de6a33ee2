namespace FTLPortal.Learning.Data;

/// <summary>The row indices of each role of a <see cref="DomainSplit"/> (disjoint, ascending).</summary>
public sealed record SplitRows(IReadOnlyList<int> Train, IReadOnlyList<int> Validation, IReadOnlyList<int> Test);
