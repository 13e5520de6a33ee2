using System.Globalization;
using FTLPortal.Learning.Engines;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Serialization;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.TorchSharp.Import;

namespace FTLPortal.Learning.TorchSharp.Tests.Import;

public sealed class BaseModelImporterTests : IDisposable
{
    // The same model on both sides: the PyTorch module's attribute names are the portal's layer names.
    private const string Module = """
        import sys, torch, torch.nn as nn
        torch.manual_seed(0)
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.dense1 = nn.Linear(4, 8)
                self.relu1 = nn.ReLU()
                self.bn1 = nn.BatchNorm1d(8)
                self.output = nn.Linear(8, 3)
            def forward(self, x):
                return self.output(self.bn1(self.relu1(self.dense1(x))))
        net = Net()
        net.train()
        net(torch.randn(64, 4) * 2 + 1)  # non-trivial running statistics
        net.eval()
        """;

    private static readonly ModelArchitecture Architecture = new()
    {
        InputSize = 4,
        ClassNames = ["a", "b", "c"],
        Layers = [LayerSpec.Dense("dense1", 8), LayerSpec.Relu("relu1"), LayerSpec.BatchNorm("bn1"), LayerSpec.Dense("output", 3)],
    };

    private readonly string _folder = Directory.CreateTempSubdirectory("ftl-import-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [PythonTorchFact]
    public void Import_StateDictFromTorchSave_PredictsAsPyTorch()
    {
        float[] expected = WriteWithPython("torch.save(net.state_dict(), 'model.pt')");

        ImportedBaseModel imported = ImportFile("model.pt", ImportedWeightsFormat.PyTorchStateDict);

        Assert.Equal(["dense1.weight", "dense1.bias", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "output.weight", "output.bias"], imported.Weights.Names);
        Assert.Contains(imported.Notes, n => n.Contains("num_batches_tracked", StringComparison.Ordinal));
        AssertPredicts(imported, expected, 1e-5f);
    }

    [PythonTorchFact]
    public void Import_ConvertsHalfAndBFloat16_NotingEachTensor()
    {
        float[] expected = WriteWithPython("""
            sd = net.state_dict()
            sd['dense1.weight'] = sd['dense1.weight'].half()
            sd['output.weight'] = sd['output.weight'].bfloat16()
            torch.save(sd, 'model.pt')
            """);

        ImportedBaseModel imported = ImportFile("model.pt", ImportedWeightsFormat.PyTorchStateDict);

        Assert.Contains(imported.Notes, n => n.Contains("'dense1.weight' converted from Float16", StringComparison.Ordinal));
        Assert.Contains(imported.Notes, n => n.Contains("'output.weight' converted from BFloat16", StringComparison.Ordinal));
        AssertPredicts(imported, expected, 5e-2f); // half precision weights: close, not exact
    }

    [PythonTorchFact]
    public void Import_RefusesNamingTheTensor_WhenMissingExtraOrMisshapen()
    {
        WriteWithPython("""
            sd = net.state_dict()
            missing = dict(sd); del missing['output.bias']; torch.save(missing, 'missing.pt')
            extra = dict(sd); extra['head.weight'] = torch.zeros(2); torch.save(extra, 'extra.pt')
            shaped = dict(sd); shaped['dense1.weight'] = torch.zeros(8, 5); torch.save(shaped, 'shaped.pt')
            ints = dict(sd); ints['output.bias'] = torch.zeros(3, dtype=torch.int64); torch.save(ints, 'ints.pt')
            """);

        Assert.Contains("'output.bias' is missing", Refusal("missing.pt"), StringComparison.Ordinal);
        Assert.Contains("'head.weight' is not part of the architecture", Refusal("extra.pt"), StringComparison.Ordinal);
        Assert.Contains("'dense1.weight' has shape [8, 5]", Refusal("shaped.pt"), StringComparison.Ordinal);
        Assert.Contains("'output.bias' has dtype Int64", Refusal("ints.pt"), StringComparison.Ordinal);
    }

    [Fact]
    public void Import_ReadsSafetensors_WrittenByThePortal()
    {
        WeightSet weights = SequentialModel.Create(Architecture, seed: 3).GetWeights();
        using var stream = new MemoryStream(SafeTensorsFormat.ToBytes(weights));

        ImportedBaseModel imported = BaseModelImporter.Import(Architecture.ToJson(), stream, ImportedWeightsFormat.Safetensors);

        Assert.Equal(weights.Sha256(), imported.Weights.Sha256());
    }

    [Fact]
    public void Import_RefusesUnknownLayerKind_ListingSupportedKinds()
    {
        string json = Architecture.ToJson().Replace("\"relu\"", "\"lstm\"", StringComparison.Ordinal);
        using var stream = new MemoryStream([1, 2, 3]);

        ModelImportException error = Assert.Throws<ModelImportException>(() => BaseModelImporter.Import(json, stream, ImportedWeightsFormat.Safetensors));

        Assert.Contains("'lstm'", error.Message, StringComparison.Ordinal);
        Assert.Contains("dense, relu, conv2d", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_RefusesUnreadableWeights_SayingWhichFormat()
    {
        using var stream = new MemoryStream("not a pickle"u8.ToArray());

        ModelImportException error = Assert.Throws<ModelImportException>(() =>
            BaseModelImporter.Import(Architecture.ToJson(), stream, ImportedWeightsFormat.PyTorchStateDict));

        Assert.Contains("PyTorch state_dict", error.Message, StringComparison.Ordinal);
    }

    private ImportedBaseModel ImportFile(string name, ImportedWeightsFormat format)
    {
        using FileStream stream = File.OpenRead(Path.Combine(_folder, name));
        return BaseModelImporter.Import(Architecture.ToJson(), stream, format);
    }

    private string Refusal(string name) => Assert.Throws<ModelImportException>(() => ImportFile(name, ImportedWeightsFormat.PyTorchStateDict)).Message;

    /// <summary>Runs the module script plus <paramref name="save"/>; returns PyTorch's probabilities on <see cref="Inputs"/>.</summary>
    private float[] WriteWithPython(string save)
    {
        string inputs = string.Join(",", Inputs().Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        string script = Module + "\n" + save + "\n" + $$"""
            x = torch.tensor([{{inputs}}]).reshape(-1, 4)
            with torch.no_grad():
                print(' '.join(repr(v) for v in torch.softmax(net(x), 1).flatten().tolist()))
            """;
        (int code, string output) = PythonTorch.Run(script, _folder);
        Assert.True(code == 0, output);
        return output.Trim().Split(' ').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
    }

    private static float[] Inputs() => Enumerable.Range(0, 20).Select(i => (float)Math.Sin(i * 0.7) * 2).ToArray();

    private static void AssertPredicts(ImportedBaseModel imported, float[] expected, float tolerance)
    {
        // The imported model runs on the built-in engine, like any other base model.
        using IEngineModel model = BuiltInEngine.Instance.Create(imported.Architecture, imported.Weights);
        var actual = new float[expected.Length];
        model.PredictProbabilities(Inputs(), 5, actual);
        float worst = expected.Zip(actual, (a, b) => MathF.Abs(a - b)).Max();
        Assert.True(worst <= tolerance, $"largest difference from PyTorch {worst:E2}");
    }
}
