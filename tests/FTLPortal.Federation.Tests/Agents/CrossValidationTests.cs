using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Engines;
using FTLPortal.Learning.Metrics;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Agents;

public sealed class CrossValidationTests
{
    [Fact]
    public void Estimate_KeepsEveryFoldsAccuracy_WhoseRowWeightedMeanIsThePooledAccuracy()
    {
        TabularDataset dataset = TestData.Synthetic(rows: 60, features: 4, classes: 2, seed: 11);
        DomainSplit split = DomainSplit.Create(dataset, "tiny");
        ModelArchitecture architecture = ModelArchitecture.Mlp(dataset.FeatureCount, [], dataset.ClassNames);
        IEngineModel Fit(PreparedSplit part)
        {
            IEngineModel model = BuiltInEngine.Instance.Create(architecture, 3);
            model.Train(part.Train, new TrainingOptions { Epochs = 5, Seed = 3 });
            return model;
        }

        EvaluationResult result = CrossValidation.Estimate(dataset, split, 0.2, Fit, new ClassificationReportOptions { BootstrapSamples = 100 }, default);

        Assert.Equal(EvaluationProtocol.CrossValidation, split.Protocol);
        Assert.Equal(EvaluationSplits.CrossValidation, result.Split);
        Assert.Equal(60, result.Rows);
        Assert.Equal(split.FoldCount, result.FoldAccuracies!.Count);
        int[] foldRows = Enumerable.Range(0, split.FoldCount).Select(f => split.Folds.Count(x => x == f)).ToArray();
        double weighted = result.FoldAccuracies.Select((a, f) => a * foldRows[f]).Sum() / 60;
        Assert.Equal(result.Accuracy, weighted, 1e-9);
        MetricEstimate mean = FoldMean.Of(result.FoldAccuracies);
        Assert.InRange(mean.Value, mean.Lower!.Value, mean.Upper!.Value);
    }
}
