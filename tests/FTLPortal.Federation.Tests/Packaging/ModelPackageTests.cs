using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Packaging;
using FTLPortal.Federation.Rounds;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Metrics;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Packaging;

public sealed class ModelPackageTests : IDisposable
{
    private static readonly SummaryOptions Summary = new() { EmbeddingDimension = 16 };
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Two partners, each with one domain, trained federatedly from scratch.</summary>
    private async Task<(FederatedRunResult Result, FineTuningPlan Plan, Dictionary<string, InProcessAgent> Agents)> TrainAsync(string folder)
    {
        var agents = new Dictionary<string, InProcessAgent>();
        foreach ((string partner, int seed) in new[] { ("north", 1), ("south", 2) })
        {
            agents[partner] = new InProcessAgent(partner, Path.Combine(_temp.Path, folder, partner));
            using MemoryStream csv = TestData.ToCsv(TestData.Synthetic(rows: 150, features: 3, classes: 2, seed: seed, covariateShift: seed));
            await agents[partner].RegisterDomainAsync($"{partner}-ward", csv, "label", Summary, CancellationToken.None);
        }

        ModelArchitecture architecture = ModelArchitecture.Mlp(3, [6], ["class_0", "class_1"]);
        var plan = new FineTuningPlan
        {
            ArchitectureJson = architecture.ToJson(),
            InitialWeights = TestData.Bytes(SequentialModel.Create(architecture, 3).GetWeights()),
            Rounds = 2,
            Local = new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 4 },
            Participants = agents.Select(a => new Participant(a.Key, $"{a.Key}-ward", a.Value)).ToList(),
        };
        return (await new FederatedTrainer().RunAsync(plan), plan, agents);
    }

    [Fact]
    public async Task Predict_ReproducesThePortalsTestPredictionsExactly_WhenRunAsThePartnerSideProgram()
    {
        (FederatedRunResult result, FineTuningPlan plan, Dictionary<string, InProcessAgent> agents) = await TrainAsync("run");
        ModelPackage package = await ModelPackageExporter.BuildAsync(plan.ArchitectureJson, result.FinalWeightsSafetensors, plan.Participants);
        string zip = _temp.Sub("model.zip");
        await File.WriteAllBytesAsync(zip, ModelPackageWriter.ToBytes(package));

        foreach ((string partner, InProcessAgent agent) in agents)
        {
            // The portal's test predictions: the agent scoring the final weights on its fixed test rows.
            var request = new EvaluationRequest
            {
                DomainId = $"{partner}-ward", ArchitectureJson = plan.ArchitectureJson, Weights = result.FinalWeightsSafetensors,
                Split = EvaluationSplits.Test,
            };
            (TabularDataset rows, float[] portal) = await agent.PredictAsync(request, CancellationToken.None);
            EvaluationResult scored = await agent.EvaluateAsync(request, CancellationToken.None);
            Assert.Equal(scored.Rows, rows.Rows);
            string csv = _temp.Sub($"{partner}-test.csv");
            await using (FileStream file = File.Create(csv))
            {
                CsvDatasetWriter.Write(rows, file, "label");
            }

            string output = await RunAgentAsync("predict", "--model", zip, "--csv", csv, "--standardization", $"{partner}-ward");

            string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("row,prediction,p_class_0,p_class_1", lines[0]);
            Assert.Equal(rows.Rows, lines.Length - 1);
            int[] predicted = ClassificationReporter.Predict(portal, 2);
            for (int r = 0; r < rows.Rows; r++)
            {
                string[] cells = lines[r + 1].Split(',');
                Assert.Equal((r + 1).ToString(CultureInfo.InvariantCulture), cells[0]);
                Assert.Equal(package.Preprocessing.ClassNames[predicted[r]], cells[1]);
                for (int c = 0; c < 2; c++)
                {
                    float printed = float.Parse(cells[2 + c], CultureInfo.InvariantCulture);
                    Assert.Equal(BitConverter.SingleToInt32Bits(portal[(r * 2) + c]), BitConverter.SingleToInt32Bits(printed));
                }
            }

            // The accuracy of the exported predictions is the portal's test accuracy.
            double accuracy = Enumerable.Range(0, rows.Rows).Count(r => predicted[r] == rows.Labels[r]) / (double)rows.Rows;
            Assert.Equal(scored.Report!.Accuracy.Value, accuracy, 12);
        }
    }

    [Fact]
    public async Task Write_GivesByteIdenticalPackagesWithTheWeightsRealSha256_ForTwoIdenticalRuns()
    {
        var first = await TrainAsync("first");
        var second = await TrainAsync("second");
        Assert.NotEqual(first.Plan.RunId, second.Plan.RunId);

        ModelPackage a = (await ModelPackageExporter.BuildAsync(first.Plan.ArchitectureJson, first.Result.FinalWeightsSafetensors, first.Plan.Participants))
            .WithModelCard("# Model card\n\nweights sha256: placeholder\n");
        ModelPackage b = (await ModelPackageExporter.BuildAsync(second.Plan.ArchitectureJson, second.Result.FinalWeightsSafetensors, second.Plan.Participants))
            .WithModelCard("# Model card\n\nweights sha256: placeholder\n");
        byte[] bytesA = ModelPackageWriter.ToBytes(a);
        byte[] bytesB = ModelPackageWriter.ToBytes(b);

        Assert.Equal(bytesA, bytesB);
        using var zip = new ZipArchive(new MemoryStream(bytesA));
        Assert.Equal(
            ["MODEL_CARD.md", "README.md", "architecture.json", "manifest.json", "model.safetensors", "preprocessing.json"],
            zip.Entries.Select(e => e.FullName));
        using var weights = new MemoryStream();
        using (Stream entry = zip.GetEntry(ModelPackage.WeightsEntry)!.Open())
        {
            entry.CopyTo(weights);
        }

        string sha256sum = Convert.ToHexStringLower(SHA256.HashData(weights.ToArray()));
        Assert.Equal(sha256sum, a.WeightsSha256);
        ModelPackage read = ModelPackageReader.Read(new MemoryStream(bytesA));
        Assert.Equal(a.Weights, read.Weights);
        Assert.Equal(a.ModelCardMarkdown, read.ModelCardMarkdown);
        Assert.Equal(["global", "north-ward", "south-ward"], read.Preprocessing.Standardizations.Select(s => s.Name));
        Assert.Empty(read.Preprocessing.OneHotColumns); // numeric features only: the agents' reader one-hot encodes nothing by default
        Assert.Empty(read.Preprocessing.ImputationValues);
        Assert.Equal("global", read.Preprocessing.DefaultStandardization);
    }

    [Fact]
    public async Task Read_AndPredict_GiveClearErrors_ForATamperedPackageAnUnknownStandardizationAndAMissingColumn()
    {
        var run = await TrainAsync("errors");
        ModelPackage package = await ModelPackageExporter.BuildAsync(run.Plan.ArchitectureJson, run.Result.FinalWeightsSafetensors, run.Plan.Participants);
        byte[] bytes = ModelPackageWriter.ToBytes(package);

        using (var tampered = new MemoryStream())
        {
            tampered.Write(bytes);
            using (var zip = new ZipArchive(tampered, ZipArchiveMode.Update, leaveOpen: true))
            {
                zip.GetEntry(ModelPackage.WeightsEntry)!.Delete();
                using Stream entry = zip.CreateEntry(ModelPackage.WeightsEntry).Open();
                entry.Write(TestData.Bytes(SequentialModel.Create(ModelArchitecture.FromJson(run.Plan.ArchitectureJson), 99).GetWeights()));
            }

            tampered.Position = 0;
            ModelPackageException altered = Assert.Throws<ModelPackageException>(() => ModelPackageReader.Read(tampered));
            Assert.Contains("the package was altered", altered.Message, StringComparison.Ordinal);
        }

        Assert.Throws<ModelPackageException>(() => ModelPackageReader.Read(new MemoryStream([1, 2, 3])));
        using var csv = new MemoryStream("f0,f1,label\n1,2,class_0\n"u8.ToArray());
        DatasetFormatException missing = Assert.Throws<DatasetFormatException>(() => ModelPackagePredictor.Predict(package, csv));
        Assert.Contains("no column 'f2'", missing.Message, StringComparison.Ordinal);
        using var good = new MemoryStream("f0,f1,f2\n1,2,3\n"u8.ToArray());
        ModelPackageException unknown = Assert.Throws<ModelPackageException>(() => ModelPackagePredictor.Predict(package, good, "east-ward"));
        Assert.Contains("no standardization 'east-ward'", unknown.Message, StringComparison.Ordinal);

        string error = await RunAgentAsync(expectFailure: true, "predict", "--model", _temp.Sub("absent.zip"), "--csv", _temp.Sub("absent.csv"));
        Assert.Contains("absent.zip", error, StringComparison.Ordinal);
    }

    private static Task<string> RunAgentAsync(params string[] arguments) => RunAgentAsync(false, arguments);

    /// <summary>Runs FTLPortal.Agent (built beside the tests) and returns its standard output, or its standard error when it is expected to fail.</summary>
    private static async Task<string> RunAgentAsync(bool expectFailure, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FTLPortal.Agent.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (expectFailure)
        {
            Assert.Equal(1, process.ExitCode);
            return await error;
        }

        Assert.True(process.ExitCode == 0, await error);
        return await output;
    }
}
