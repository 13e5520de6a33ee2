using FTLPortal.Learning.Data;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Learning.Engines;

/// <summary>A <see cref="SequentialModel"/> behind the engine seam.</summary>
public sealed class BuiltInModel : IEngineModel
{
    public BuiltInModel(SequentialModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
    }

    /// <summary>The wrapped model (managed buffers, for code that needs them).</summary>
    public SequentialModel Model { get; }

    public ModelArchitecture Architecture => Model.Architecture;

    public IReadOnlyList<LayerInfo> Layers => Model.Layers;

    public WeightSet GetWeights() => Model.GetWeights();

    public WeightSet GetWeights(IEnumerable<string> layerNames) => Model.GetWeights(layerNames);

    public void SetWeights(WeightSet weights) => Model.SetWeights(weights);

    public void PredictProbabilities(ReadOnlySpan<float> features, int rows, Span<float> probabilities) =>
        Model.PredictProbabilities(features, rows, probabilities);

    public int[] Predict(TabularDataset dataset) => Model.Predict(dataset);

    public TrainingHistory Train(TabularDataset train, TrainingOptions options, Action<EpochMetrics>? onEpoch = null, CancellationToken ct = default) =>
        Trainer.Train(Model, train, options, onEpoch, ct);

    public EvaluationResult Evaluate(TabularDataset dataset) => Evaluator.Evaluate(Model, dataset);

    public void Dispose()
    {
        // Managed buffers only: nothing to release.
    }
}
