using FTLPortal.Learning.Data;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Training;

namespace FTLPortal.Learning.Engines;

/// <summary>
/// A model built by an <see cref="ITrainingEngine"/>. Unlike <see cref="ITrainableModel"/> it exposes no gradient buffers: the
/// engine trains it as a whole (libtorch keeps its gradients natively). Dispose it to release native memory. Not thread-safe.
/// </summary>
public interface IEngineModel : IModel, IDisposable
{
    /// <summary>Trains with the same semantics as <see cref="Trainer.Train"/> (batches, shuffle order, losses, optimizers, freezing).</summary>
    TrainingHistory Train(TabularDataset train, TrainingOptions options, Action<EpochMetrics>? onEpoch = null, CancellationToken ct = default);

    /// <summary>Mean cross-entropy and accuracy on <paramref name="dataset"/> (labels in the model's class order).</summary>
    EvaluationResult Evaluate(TabularDataset dataset);
}
