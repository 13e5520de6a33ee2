namespace FTLPortal.Learning.Models;

/// <summary>One layer of an architecture. <paramref name="Kind"/> is "dense" or "relu"; for "relu" Units may be 0 (same as input).</summary>
public sealed record LayerSpec(string Name, string Kind, int Units)
{
    public const string DenseKind = "dense";
    public const string ReluKind = "relu";
}
