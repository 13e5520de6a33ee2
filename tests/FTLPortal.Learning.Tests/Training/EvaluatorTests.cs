using FTLPortal.Learning.Data;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Learning.Tests.Training;

public class EvaluatorTests
{
    [Fact]
    public void Evaluate_ComputesLossAndAccuracy_ForAHandSetModel()
    {
        // One dense layer whose logits equal the two inputs: the larger feature wins.
        var architecture = new ModelArchitecture { InputSize = 2, ClassNames = ["a", "b"], Layers = [new LayerSpec("output", "dense", 2)] };
        SequentialModel model = SequentialModel.Create(architecture, seed: 0);
        model.SetWeights(new WeightSet { new NamedTensor("output.weight", [2, 2], [1, 0, 0, 1]), new NamedTensor("output.bias", [2], [0, 0]) });
        var data = new TabularDataset(["x", "y"], ["a", "b"], [2f, 0f, 0f, 2f, 1f, 0f], [0, 1, 1]);

        EvaluationResult result = Evaluator.Evaluate(model, data);

        double right = -Math.Log(Math.Exp(2) / (Math.Exp(2) + 1));
        double wrong = -Math.Log(1 / (Math.Exp(1) + 1));
        Assert.Equal(2.0 / 3, result.Accuracy, 1e-12);
        Assert.Equal(((2 * right) + wrong) / 3, result.Loss, 1e-5);
        Assert.Equal(3, result.Rows);
    }
}
