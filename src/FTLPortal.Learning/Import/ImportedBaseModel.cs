using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Learning.Import;

/// <summary>A checked base model: the architecture, its float32 weights under the portal's tensor names, and what was converted.</summary>
public sealed record ImportedBaseModel(ModelArchitecture Architecture, WeightSet Weights, IReadOnlyList<string> Notes);
