using FTLPortal.Learning.Tensors;

namespace FTLPortal.Learning.Models;

/// <summary>A layer with state that is saved and loaded with the weights but not trained (e.g. batch-norm running statistics).</summary>
public interface ILayerWithBuffers
{
    IReadOnlyList<NamedTensor> Buffers { get; }
}
