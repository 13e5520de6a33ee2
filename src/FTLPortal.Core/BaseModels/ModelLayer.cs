namespace FTLPortal.Core.BaseModels;

/// <summary>One named layer of a base model; only layers with parameters can be frozen.</summary>
public sealed record ModelLayer(string Name, string Kind, IReadOnlyList<int> Shape, long ParameterCount);
