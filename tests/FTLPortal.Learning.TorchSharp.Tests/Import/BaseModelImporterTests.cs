using System.Globalization;
using FTLPortal.Learning.Engines;
using FTLPortal.Learning.Import;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.TorchSharp.Import;

namespace FTLPortal.Learning.TorchSharp.Tests.Import;

/// <summary>Learning's importer with this engine's state_dict reader, on files Debian's PyTorch writes at test time.</summary>
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

        Assert.Contains(imported.Notes, n => n.Contains("'dense1.weight' converted from F16", StringComparison.Ordinal));
        Assert.Contains(imported.Notes, n => n.Contains("'output.weight' converted from BF16", StringComparison.Ordinal));
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
        Assert.Contains("'output.bias' has dtype I64", Refusal("ints.pt"), StringComparison.Ordinal);
    }

    [PythonTorchFact]
    public void Import_SameModelAsSafetensorsAndStateDict_GivesTheSameWeights()
    {
        // Debian's PyTorch 1.13 has no safetensors package: write the file by hand from the state_dict's bytes.
        WriteWithPython("""
            import json, struct
            sd = net.state_dict()
            torch.save(sd, 'model.pt')
            header, blobs, offset = {}, [], 0
            for name, t in sd.items():
                if name.endswith('num_batches_tracked'): continue
                raw = t.contiguous().numpy().tobytes()
                header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(raw)]}
                blobs.append(raw); offset += len(raw)
            h = json.dumps(header).encode()
            with open('model.safetensors', 'wb') as f:
                f.write(struct.pack('<Q', len(h))); f.write(h); f.write(b''.join(blobs))
            """);

        ImportedBaseModel fromStateDict = ImportFile("model.pt", ImportedWeightsFormat.PyTorchStateDict);
        ImportedBaseModel fromSafetensors = ImportFile("model.safetensors", ImportedWeightsFormat.Safetensors);

        Assert.Equal(fromStateDict.Weights.Sha256(), fromSafetensors.Weights.Sha256());
        Assert.Equal(ImportedWeightsFormat.PyTorchStateDict, BaseModelImporter.DetectFormat(File.ReadAllBytes(Path.Combine(_folder, "model.pt"))));
        Assert.Equal(ImportedWeightsFormat.Safetensors, BaseModelImporter.DetectFormat(File.ReadAllBytes(Path.Combine(_folder, "model.safetensors"))));
    }

    [Fact]
    public void PyBridgeStateDictReader_CanBeCreatedByAPluginLoader()
    {
        // The portal finds the reader by its interface in the plug-in assembly and creates it without arguments.
        Assert.True(typeof(PyBridgeStateDictReader).IsPublic);
        var constructor = typeof(PyBridgeStateDictReader).GetConstructor(Type.EmptyTypes);
        Assert.NotNull(constructor);
        Assert.IsAssignableFrom<IStateDictReader>(constructor.Invoke(null));
    }

    [Fact]
    public void Import_RefusesUnreadableWeights_SayingWhichFormat()
    {
        ModelImportException error = Assert.Throws<ModelImportException>(() =>
            BaseModelImporter.Import(Architecture.ToJson(), "not a pickle"u8.ToArray(), ImportedWeightsFormat.PyTorchStateDict, new PyBridgeStateDictReader()));

        Assert.Contains("PyTorch state_dict", error.Message, StringComparison.Ordinal);
    }

    private ImportedBaseModel ImportFile(string name, ImportedWeightsFormat format)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(_folder, name));
        return BaseModelImporter.Import(Architecture.ToJson(), bytes, format, new PyBridgeStateDictReader());
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
