using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Agents;

/// <summary>
/// The pre-trained model: its architecture JSON and its weights as safetensors, with the validation metrics, the test
/// metrics on the domain's fixed test split (never trained on) and, for a small domain, the k-fold cross-validated estimate.
/// </summary>
public sealed record PretrainResult(
    string ArchitectureJson,
    byte[] Weights,
    IReadOnlyList<string> ClassNames,
    int TrainRows,
    EvaluationResult Validation,
    TrainingHistory History)
{
    public EvaluationResult? Test { get; init; }

    public EvaluationResult? CrossValidated { get; init; }
}
