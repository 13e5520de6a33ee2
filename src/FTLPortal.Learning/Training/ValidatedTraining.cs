using FTLPortal.Learning.Data;
using FTLPortal.Learning.Models;

namespace FTLPortal.Learning.Training;

/// <summary>
/// <see cref="Trainer.Train"/> with the validation loss measured after every epoch (in inference mode) and, with
/// <see cref="TrainingOptions.EarlyStoppingPatience"/>, early stopping: training stops once that many epochs pass without a
/// lower validation loss, and the model is left with the weights of the best epoch.
/// </summary>
public static class ValidatedTraining
{
    public static ValidatedTrainingResult Train(
        IModel model,
        TabularDataset train,
        TabularDataset validation,
        TrainingOptions options,
        Action<EpochMetrics>? onEpoch = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(options);
        if (validation.Rows == 0)
        {
            throw new ArgumentException("Validated training needs validation rows.", nameof(validation));
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var epochs = new List<EpochMetrics>();
        double bestLoss = double.PositiveInfinity;
        int bestEpoch = 0;
        Tensors.WeightSet? best = null;
        var modal = model as IHasTrainingMode;

        void AfterEpoch(EpochMetrics metrics)
        {
            bool training = modal?.IsTraining ?? false;
            if (modal is not null)
            {
                modal.IsTraining = false; // no dropout, running batch-norm statistics
            }

            double loss = Evaluator.Evaluate(model, validation).Loss;
            if (modal is not null)
            {
                modal.IsTraining = training;
            }

            EpochMetrics withValidation = metrics with { ValidationLoss = loss };
            epochs.Add(withValidation);
            onEpoch?.Invoke(withValidation);
            if (loss < bestLoss)
            {
                bestLoss = loss;
                bestEpoch = metrics.Epoch;
                best = options.EarlyStoppingPatience > 0 ? model.GetWeights() : null;
            }
            else if (options.EarlyStoppingPatience > 0 && metrics.Epoch - bestEpoch >= options.EarlyStoppingPatience)
            {
                stop.Cancel(); // the trainer checks its token before the next batch
            }
        }

        try
        {
            Trainer.Train(model, train, options, AfterEpoch, stop.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && stop.IsCancellationRequested)
        {
            // Stopped early: not a cancellation of the caller's.
        }

        bool stoppedEarly = epochs.Count < options.Epochs;
        if (best is not null)
        {
            model.SetWeights(best);
        }

        return new ValidatedTrainingResult(new TrainingHistory(epochs), bestEpoch, bestLoss, stoppedEarly);
    }
}
