using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Agents;

/// <summary>The pre-trained model: its architecture JSON and its weights as safetensors, with the validation metrics.</summary>
public sealed record PretrainResult(
    string ArchitectureJson,
    byte[] Weights,
    IReadOnlyList<string> ClassNames,
    int TrainRows,
    EvaluationResult Validation,
    TrainingHistory History);
