using FTLPortal.Learning.Data;
using FTLPortal.Learning.Engines;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Learning.Tests.Engines;

public class BuiltInEngineTests
{
    private static readonly TabularDataset Data = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 120, Features = 4, Classes = 3, Seed = 5 });

    private static readonly ModelArchitecture Architecture = ModelArchitecture.Mlp(4, [8], Data.ClassNames);

    private static readonly TrainingOptions Options = new() { Epochs = 3, BatchSize = 16, LearningRate = 0.05f, Optimizer = OptimizerKind.Sgd, Momentum = 0.9f };

    [Fact]
    public void Train_MatchesTrainerOnSequentialModel_SameSeedAndData()
    {
        SequentialModel direct = SequentialModel.Create(Architecture, seed: 3);
        TrainingHistory expected = Trainer.Train(direct, Data, Options);

        using IEngineModel model = BuiltInEngine.Instance.Create(Architecture, seed: 3);
        TrainingHistory actual = model.Train(Data, Options);

        Assert.Equal(expected.Epochs, actual.Epochs);
        Assert.Equal(direct.GetWeights().Sha256(), model.GetWeights().Sha256());
        Assert.Equal(Evaluator.Evaluate(direct, Data), model.Evaluate(Data));
    }

    [Fact]
    public void Create_LoadsWeights_FromAnotherModel()
    {
        using IEngineModel trained = BuiltInEngine.Instance.Create(Architecture, seed: 1);
        trained.Train(Data, Options);

        using IEngineModel loaded = BuiltInEngine.Instance.Create(Architecture, trained.GetWeights());

        Assert.Equal(trained.Predict(Data), loaded.Predict(Data));
    }

    [Fact]
    public void Create_Throws_WhenWeightsMissATensor()
    {
        using IEngineModel model = BuiltInEngine.Instance.Create(Architecture, seed: 1);
        WeightSet partial = model.GetWeights().Except(["output"]);

        ArgumentException error = Assert.Throws<ArgumentException>(() => BuiltInEngine.Instance.Create(Architecture, partial));

        Assert.Contains("output.weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_NamesTheAssembly_Always()
    {
        Assert.StartsWith("FTLPortal.Learning ", BuiltInEngine.Instance.Version, StringComparison.Ordinal);
    }
}
