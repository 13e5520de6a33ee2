using FTLPortal.Learning.Data;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Learning.Models;

/// <summary>The backend seam: what the rest of the system needs from a model. Instances are not thread-safe.</summary>
public interface IModel
{
    ModelArchitecture Architecture { get; }

    IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>A deep copy of all parameter tensors, in layer order.</summary>
    WeightSet GetWeights();

    /// <summary>A deep copy of the parameter tensors of the named layers.</summary>
    WeightSet GetWeights(IEnumerable<string> layerNames);

    /// <summary>Copies in the tensors present in <paramref name="weights"/>; validates shapes; throws on unknown names.</summary>
    void SetWeights(WeightSet weights);

    /// <summary>Writes rows × classes softmax probabilities for rows × InputSize features.</summary>
    void PredictProbabilities(ReadOnlySpan<float> features, int rows, Span<float> probabilities);

    /// <summary>The most probable class index of each row.</summary>
    int[] Predict(TabularDataset dataset);
}
