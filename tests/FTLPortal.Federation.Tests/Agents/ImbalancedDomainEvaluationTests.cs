using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Metrics;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Agents;

/// <summary>Issue 9: on a synthetic 90/10 domain the agent's test report shows what a majority-only model is worth.</summary>
public sealed class ImbalancedDomainEvaluationTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task EvaluateAsync_GivesBalancedAccuracyAndAucOneHalfAndTheMajorityBaseline_ForAMajorityOnlyModelOn90To10Rows()
    {
        // A synthetic domain whose labels are 90 % "no" and 10 % "yes", registered with an agent (fixed split, stratified).
        TabularDataset features = TestData.Synthetic(rows: 400, features: 4, classes: 2, seed: 9);
        int[] labels = Enumerable.Range(0, features.Rows).Select(r => r % 10 == 0 ? 1 : 0).ToArray();
        var domain = new TabularDataset(features.FeatureNames, ["no", "yes"], features.Features, labels);
        var agent = new InProcessAgent("acme", _temp.Path);
        using (MemoryStream csv = TestData.ToCsv(domain))
        {
            await agent.RegisterDomainAsync("imbalanced", csv, "label", new SummaryOptions { EmbeddingDimension = 8 }, CancellationToken.None);
        }

        // Logistic regression with zero weights and a bias for "no": it predicts the majority class for every row.
        ModelArchitecture architecture = ModelArchitecture.Mlp(4, [], ["no", "yes"]);
        WeightSet weights = SequentialModel.Create(architecture, 1).GetWeights();
        foreach (NamedTensor tensor in weights)
        {
            Array.Clear(tensor.Data);
            if (tensor.Name.EndsWith("bias", StringComparison.Ordinal))
            {
                tensor.Data[0] = 2f;
            }
        }

        EvaluationResult test = await agent.EvaluateAsync(
            new EvaluationRequest { DomainId = "imbalanced", ArchitectureJson = architecture.ToJson(), Weights = TestData.Bytes(weights), Split = EvaluationSplits.Test },
            CancellationToken.None);

        ClassificationReport report = test.Report!;
        Assert.Equal(0.9, report.Accuracy.Value, 12);
        Assert.Equal(0, report.MajorityClass);
        Assert.Equal(report.Accuracy.Value, report.MajorityBaselineAccuracy.Value, 12);
        Assert.Equal(0.5, report.BalancedAccuracy.Value, 12);
        Assert.Equal(0.5, report.RocAuc!.Value, 12);
        Assert.Equal((0.0, 1.0), (report.Sensitivity!.Value, report.Specificity!.Value));
        Assert.NotNull(report.MajorityBaselineAccuracy.Lower);
    }
}
