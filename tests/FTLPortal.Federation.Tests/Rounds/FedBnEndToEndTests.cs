using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Rounds;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;
using Xunit.Abstractions;

namespace FTLPortal.Federation.Tests.Rounds;

/// <summary>
/// FedBN end to end: three in-process agents on synthetic domains with different feature shifts federate a model whose
/// batch-norm layer keeps its statistics local.
/// </summary>
public sealed class FedBnEndToEndTests : IDisposable
{
    private const int Features = 6;
    private const int Hidden = 12;
    private const int Classes = 3;
    private const double ValidationFraction = 0.25;
    private const int SplitSeed = 4;
    private static readonly string[] BatchNormTensors = ["bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var"];
    private static readonly string[] SharedTensors = ["dense1.bias", "dense1.weight", "output.bias", "output.weight"];
    private static readonly SummaryOptions Summary = new() { EmbeddingDimension = 16 };
    private readonly TempFolder _temp = new();
    private readonly ITestOutputHelper _output;

    public FedBnEndToEndTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RunAsync_KeepsBatchNormLocalAndAveragesTheRest_WhenPartnersHaveShiftedFeatures()
    {
        // Each agent standardizes its own features, which removes a plain translation (SyntheticDomains' covariate
        // shift); beta and gamma therefore also see their features through a different "sensor" (a non-linear response,
        // a mixing of channels) that standardization cannot undo.
        var domains = new Dictionary<string, TabularDataset>
        {
            ["alpha"] = Domain(seed: 21, covariateShift: 0, Warp.None),
            ["beta"] = Domain(seed: 22, covariateShift: 2.5, Warp.Exponential),
            ["gamma"] = Domain(seed: 23, covariateShift: -1.5, Warp.Mixing),
        };
        var agents = new Dictionary<string, InProcessAgent>();
        var recorders = new Dictionary<string, RecordingAgent>();
        foreach ((string partner, TabularDataset data) in domains)
        {
            agents[partner] = new InProcessAgent(partner, _temp.Sub(partner));
            recorders[partner] = new RecordingAgent(agents[partner]);
            await WriteAndRegister(agents[partner], partner, data);
        }

        (ModelArchitecture architecture, WeightSet initial) = TestData.LocalBatchNormMlp(Features, Hidden, Classes, seed: 3);
        Assert.Equal(["bn1"], architecture.LocalLayerNames());
        var plan = new FineTuningPlan
        {
            ArchitectureJson = architecture.ToJson(),
            InitialWeights = TestData.Bytes(initial),
            Rounds = 4,
            Local = new TrainingOptions { Epochs = 2, BatchSize = 32, LearningRate = 0.005f, Seed = 11 },
            Participants = domains.Keys.Select(p => new Participant(p, "target", recorders[p])).ToList(),
            ValidationFraction = ValidationFraction,
            SplitSeed = SplitSeed,
            MinParticipants = 3,
        };
        var observer = new RecordingObserver();

        FederatedRunResult result = await new FederatedTrainer().RunAsync(plan, observer, CancellationToken.None);

        Assert.Empty(observer.Dropped);
        Assert.Equal(4, result.Rounds.Count);

        // The run id reaches every training and evaluation request.
        Assert.All(recorders.Values.SelectMany(r => r.TrainingRequests), r => Assert.Equal(plan.RunId, r.RunId));
        Assert.All(recorders.Values.SelectMany(r => r.EvaluationRequests), r => Assert.Equal(plan.RunId, r.RunId));

        // (1) No update carries a batch-norm tensor (weight, bias or running statistics); every one carries the rest.
        foreach (ModelUpdate update in recorders.Values.SelectMany(r => r.Updates))
        {
            WeightSet sent = TestData.Weights(update.Weights);
            Assert.Empty(sent.Names.Intersect(BatchNormTensors));
            Assert.Equal(SharedTensors, sent.Names.Order(StringComparer.Ordinal));
        }

        Assert.Equal(3 * 4, recorders.Values.Sum(r => r.Updates.Count));

        // (3) The global batch-norm tensors are the initial ones, bit for bit.
        foreach (string name in BatchNormTensors)
        {
            Assert.Equal(initial[name].Data, result.FinalWeights[name].Data);
        }

        // (4) The shared layers were averaged: they moved.
        Assert.NotEqual(initial.Only(["dense1"]).Sha256(), result.FinalWeights.Only(["dense1"]).Sha256());
        Assert.NotEqual(initial.Only(["output"]).Sha256(), result.FinalWeights.Only(["output"]).Sha256());

        // (2) Each partner kept its own batch norm; its running mean tracks its own data's post-ReLU feature means better
        // than any other partner's, and the partners' running means differ.
        var expected = domains.Keys.ToDictionary(p => p, p => PostReluMeans(p, result.FinalWeights));
        var kept = domains.Keys.ToDictionary(p => p, p => agents[p].KeptLocalLayers(plan.RunId, "target"));
        foreach (string partner in domains.Keys)
        {
            WeightSet own = Assert.IsType<WeightSet>(kept[partner]);
            Assert.Equal(BatchNormTensors.Order(StringComparer.Ordinal), own.Names.Order(StringComparer.Ordinal));
            Assert.NotEqual(initial["bn1.weight"].Data, own["bn1.weight"].Data); // scale/shift were trained locally
            float[] runningMean = own["bn1.running_mean"].Data;
            double toOwn = Distance(runningMean, expected[partner]);
            _output.WriteLine($"{partner}: own {toOwn:F4}, others "
                + string.Join(", ", domains.Keys.Where(o => o != partner).Select(o => $"{o} {Distance(runningMean, expected[o]):F4} (kept {Distance(runningMean, kept[o]!["bn1.running_mean"].Data):F4})")));
            foreach (string other in domains.Keys.Where(o => o != partner))
            {
                double toOther = Distance(runningMean, expected[other]);
                Assert.True(
                    toOwn < toOther,
                    $"{partner}: running mean is {toOwn:F4} from its own data's statistics but {toOther:F4} from {other}'s.");
                double between = Distance(runningMean, kept[other]!["bn1.running_mean"].Data);
                Assert.True(between > 0.05, $"{partner} and {other} kept running means only {between:F4} apart.");
            }
        }

        // (5) The final evaluation used each partner's own batch norm: on a shifted partner it differs from scoring the
        // global weights (whose batch norm never left its initial state), and is better.
        foreach (string partner in new[] { "beta", "gamma" })
        {
            ParticipantEvaluation reported = Assert.Single(result.FinalEvaluations, e => e.PartnerId == partner);
            var request = new EvaluationRequest
            {
                DomainId = "target",
                ArchitectureJson = plan.ArchitectureJson,
                Weights = result.FinalWeightsSafetensors,
                ValidationFraction = ValidationFraction,
                SplitSeed = SplitSeed,
            };
            EvaluationResult withOwn = await agents[partner].EvaluateAsync(request with { RunId = plan.RunId }, CancellationToken.None);
            EvaluationResult withGlobal = await agents[partner].EvaluateAsync(request, CancellationToken.None);

            _output.WriteLine($"{partner}: own BN loss {withOwn.Loss:F4} acc {withOwn.Accuracy:F3}; global BN loss {withGlobal.Loss:F4} acc {withGlobal.Accuracy:F3}");
            Assert.Equal(withOwn, reported.Validation);
            Assert.NotEqual(withGlobal.Loss, withOwn.Loss);
            Assert.True(
                withOwn.Loss < withGlobal.Loss,
                $"{partner}: loss {withOwn.Loss:F4} with its own batch norm, {withGlobal.Loss:F4} with the global one.");
            Assert.True(withOwn.Accuracy > 1.0 / Classes + 0.2, $"{partner}: accuracy {withOwn.Accuracy:F3} with its own batch norm.");
        }
    }

    private enum Warp
    {
        None,
        Exponential,
        Mixing,
    }

    private static TabularDataset Domain(int seed, double covariateShift, Warp warp)
    {
        TabularDataset data = SyntheticDomains.Generate(new SyntheticDomainOptions
        {
            Rows = 320,
            Features = Features,
            Classes = Classes,
            Seed = seed,
            CovariateShift = covariateShift,
        });
        float[] x = (float[])data.Features.Clone();
        for (int r = 0; r < data.Rows; r++)
        {
            Span<float> row = x.AsSpan(r * Features, Features);
            float[] original = row.ToArray();
            for (int f = 0; f < Features; f++)
            {
                row[f] = warp switch
                {
                    Warp.Exponential => MathF.Exp(original[f]),
                    Warp.Mixing => original[f] + (2f * original[(f + 1) % Features]),
                    _ => original[f],
                };
            }
        }

        return new TabularDataset(data.FeatureNames, data.ClassNames, x, data.Labels);
    }

    private async Task WriteAndRegister(InProcessAgent agent, string partner, TabularDataset data)
    {
        string path = _temp.Sub($"{partner}.csv");
        await using (FileStream file = File.Create(path))
        {
            CsvDatasetWriter.Write(data, file);
        }

        await using FileStream csv = File.OpenRead(path);
        await agent.RegisterDomainAsync("target", csv, "label", Summary, CancellationToken.None);
    }

    /// <summary>
    /// The mean of relu(dense1(x)) over the partner's standardized training rows (the split and scaling its agent uses),
    /// with the given dense1: what a batch norm after relu1 sees on that partner's data.
    /// </summary>
    private double[] PostReluMeans(string partner, WeightSet weights)
    {
        TabularDataset stored;
        using (FileStream csv = File.OpenRead(_temp.Sub($"{partner}.csv")))
        {
            stored = CsvDatasetReader.Read(csv, "label");
        }

        stored = stored.WithClassOrder(Enumerable.Range(0, Classes).Select(c => $"class_{c}").ToArray());
        // The agent's fixed split of domain "target" (seeded by the domain id, not by the job).
        TabularDataset train = stored.Subset([.. DomainSplit.Create(stored, "target").Parts(stored, ValidationFraction).Train]);
        TabularDataset standardized = Standardizer.Fit(train).Transform(train);
        float[] w = weights["dense1.weight"].Data;
        float[] b = weights["dense1.bias"].Data;
        var means = new double[Hidden];
        for (int r = 0; r < standardized.Rows; r++)
        {
            ReadOnlySpan<float> row = standardized.Row(r);
            for (int h = 0; h < Hidden; h++)
            {
                double z = b[h];
                for (int f = 0; f < Features; f++)
                {
                    z += w[(h * Features) + f] * row[f];
                }

                means[h] += Math.Max(0, z);
            }
        }

        return means.Select(m => m / standardized.Rows).ToArray();
    }

    private static double Distance(float[] a, double[] b) => Math.Sqrt(a.Select((v, i) => (v - b[i]) * (v - b[i])).Sum());

    private static double Distance(float[] a, float[] b) => Math.Sqrt(a.Select((v, i) => (double)(v - b[i]) * (v - b[i])).Sum());
}
