using FTLPortal.Learning.Tensors;

namespace FTLPortal.Learning.Models;

/// <summary>A parameter tensor of a layer and the buffer its gradient is written to (same length as the value).</summary>
public sealed record TrainableParameter(string LayerName, NamedTensor Value, float[] Gradient);
