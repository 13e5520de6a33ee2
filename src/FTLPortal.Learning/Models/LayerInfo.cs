namespace FTLPortal.Learning.Models;

/// <summary>What a built layer looks like from outside: its output shape (per row) and its parameter tensors.</summary>
public sealed record LayerInfo(
    string Name,
    string Kind,
    IReadOnlyList<int> OutputShape,
    long ParameterCount,
    IReadOnlyList<string> ParameterNames);
