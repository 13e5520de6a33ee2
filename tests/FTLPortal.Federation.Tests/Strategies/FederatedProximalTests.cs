using FTLPortal.Federation.Strategies;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Strategies;

public class FederatedProximalTests
{
    [Fact]
    public void Train_TakesProximalGradientStep_WhenMuIsSetOnHandComputedExample()
    {
        // One full-batch SGD step of w ← w - lr·(∇L + μ(w - w₀)) equals the plain step at the first step (w = w₀),
        // so take two steps and compare with a plain run plus the hand-computed proximal pull of the second step.
        TabularDataset data = TestData.Synthetic(rows: 30, features: 4, classes: 3, seed: 5);
        (ModelArchitecture architecture, WeightSet initial) = TestData.SmallMlp();
        data = data.WithClassOrder(architecture.ClassNames);
        var plain = new TrainingOptions { Epochs = 1, BatchSize = 0, LearningRate = 0.5f, Optimizer = OptimizerKind.Sgd, Shuffle = false };

        SequentialModel oneStep = SequentialModel.Create(architecture, initial);
        Trainer.Train(oneStep, data, plain);
        SequentialModel proximalOneStep = SequentialModel.Create(architecture, initial);
        Trainer.Train(proximalOneStep, data, plain with { ProximalMu = 10f });
        Assert.Equal(oneStep.GetWeights().Sha256(), proximalOneStep.GetWeights().Sha256());

        // Two steps: the second proximal step subtracts lr·μ·(w₁ - w₀) more than the plain second step from w₁.
        SequentialModel proximal = SequentialModel.Create(architecture, initial);
        Trainer.Train(proximal, data, plain with { Epochs = 2, ProximalMu = 0.3f });
        WeightSet w1 = oneStep.GetWeights();
        SequentialModel plainSecond = SequentialModel.Create(architecture, w1);
        Trainer.Train(plainSecond, data, plain);
        foreach (NamedTensor tensor in plainSecond.GetWeights())
        {
            float[] w0 = initial[tensor.Name].Data, w1d = w1[tensor.Name].Data, actual = proximal.GetWeights()[tensor.Name].Data;
            for (int i = 0; i < w0.Length; i++)
            {
                float expected = tensor.Data[i] - (0.5f * 0.3f * (w1d[i] - w0[i]));
                Assert.Equal(expected, actual[i], 1e-5f);
            }
        }
    }

    [Fact]
    public void Train_StaysCloserToGlobalModel_WhenMuIsLarge()
    {
        TabularDataset data = TestData.Synthetic(rows: 60, features: 4, classes: 3, seed: 9, conceptShift: 1);
        (ModelArchitecture architecture, WeightSet initial) = TestData.SmallMlp();
        data = data.WithClassOrder(architecture.ClassNames);
        var options = new TrainingOptions { Epochs = 20, BatchSize = 16, LearningRate = 0.05f, Optimizer = OptimizerKind.Sgd };

        double Drift(float mu)
        {
            SequentialModel model = SequentialModel.Create(architecture, initial);
            Trainer.Train(model, data, options with { ProximalMu = mu });
            return model.GetWeights().Sum(t => System.Numerics.Tensors.TensorPrimitives.Distance<float>(t.Data, initial[t.Name].Data));
        }

        Assert.True(Drift(5f) < 0.5 * Drift(0f), $"drift with μ = 5: {Drift(5f)}, without: {Drift(0f)}");
    }

    [Fact]
    public void Aggregate_IsFedAvg_WhenFedProxAggregates()
    {
        var current = new WeightSet { new NamedTensor("layer.weight", [1], [0f]) };
        ClientUpdate[] updates =
        [
            new("a", 1, new WeightSet { new NamedTensor("layer.weight", [1], [4f]) }),
            new("b", 3, new WeightSet { new NamedTensor("layer.weight", [1], [8f]) }),
        ];

        Assert.Equal(7f, new FederatedProximal(0.1f).Aggregate(current, updates)["layer.weight"].Data[0], 1e-6f);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FederatedProximal(0f));
    }
}
