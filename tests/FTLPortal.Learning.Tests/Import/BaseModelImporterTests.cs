using FTLPortal.Learning.Import;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Serialization;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Learning.Tests.Import;

public sealed class BaseModelImporterTests
{
    private static readonly ModelArchitecture Architecture = new()
    {
        InputSize = 4,
        ClassNames = ["a", "b", "c"],
        Layers = [LayerSpec.Dense("dense1", 8), LayerSpec.Relu("relu1"), LayerSpec.BatchNorm("bn1"), LayerSpec.Dense("output", 3)],
    };

    private static readonly WeightSet Weights = SequentialModel.Create(Architecture, seed: 3).GetWeights();

    /// <summary>The model's tensors in F32, except those named in <paramref name="change"/>, which write their own.</summary>
    private static byte[] File(Func<SafetensorsBuilder, NamedTensor, bool>? change = null)
    {
        var builder = new SafetensorsBuilder();
        foreach (NamedTensor tensor in Weights)
        {
            if (change?.Invoke(builder, tensor) != true)
            {
                builder.F32(tensor.Name, tensor.Shape, tensor.Data);
            }
        }

        return builder.ToBytes();
    }

    private static ModelImportException Refusal(byte[] file, string? architectureJson = null) =>
        Assert.Throws<ModelImportException>(() => BaseModelImporter.Import(architectureJson ?? Architecture.ToJson(), file, ImportedWeightsFormat.Safetensors));

    [Fact]
    public void Import_ReadsSafetensorsWrittenByThePortal_BitForBit()
    {
        ImportedBaseModel imported = BaseModelImporter.Import(Architecture.ToJson(), SafeTensorsFormat.ToBytes(Weights), ImportedWeightsFormat.Safetensors);

        Assert.Equal(Weights.Sha256(), imported.Weights.Sha256());
        Assert.Equal(Architecture, imported.Architecture);
        Assert.Empty(imported.Notes);
    }

    [Fact]
    public void Import_KeepsTheArchitecturesOrder_WhenTheFileIsSortedByName()
    {
        var builder = new SafetensorsBuilder();
        foreach (NamedTensor tensor in Weights.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            builder.F32(tensor.Name, tensor.Shape, tensor.Data);
        }

        ImportedBaseModel imported = BaseModelImporter.Import(Architecture.ToJson(), builder.ToBytes(), ImportedWeightsFormat.Safetensors);

        Assert.Equal(Weights.Names, imported.Weights.Names);
        Assert.Equal(Weights.Sha256(), imported.Weights.Sha256());
    }

    [Fact]
    public void Import_ConvertsF16ToF32_NotingTheTensor()
    {
        byte[] file = File((b, t) => t.Name == "dense1.weight" && b.F16(t.Name, t.Shape, t.Data) is not null);

        ImportedBaseModel imported = BaseModelImporter.Import(Architecture.ToJson(), file, ImportedWeightsFormat.Safetensors);

        float[] expected = Weights["dense1.weight"].Data.Select(v => (float)(Half)v).ToArray();
        Assert.Equal(expected, imported.Weights["dense1.weight"].Data);
        Assert.Equal(["Tensor 'dense1.weight' converted from F16 to F32."], imported.Notes);
        Assert.Equal(Weights["output.weight"].Data, imported.Weights["output.weight"].Data);
    }

    [Fact]
    public void Import_ConvertsBF16ToF32_NotingTheTensor()
    {
        byte[] file = File((b, t) => t.Name == "output.weight" && b.BF16(t.Name, t.Shape, t.Data) is not null);

        ImportedBaseModel imported = BaseModelImporter.Import(Architecture.ToJson(), file, ImportedWeightsFormat.Safetensors);

        float[] original = Weights["output.weight"].Data;
        float[] converted = imported.Weights["output.weight"].Data;
        Assert.Contains("Tensor 'output.weight' converted from BF16 to F32.", imported.Notes);
        for (int i = 0; i < original.Length; i++)
        {
            // Truncating to bfloat16 keeps 8 significant bits: within 2^-7 relative, and never larger in magnitude.
            Assert.InRange(MathF.Abs(original[i] - converted[i]), 0f, MathF.Abs(original[i]) / 128f);
            Assert.Equal(BitConverter.SingleToInt32Bits(original[i]) & unchecked((int)0xFFFF0000), BitConverter.SingleToInt32Bits(converted[i]));
        }
    }

    [Fact]
    public void Import_RefusesMissingTensor_NamingIt()
    {
        ModelImportException error = Refusal(File((_, t) => t.Name == "output.bias"));

        Assert.Contains("Tensor 'output.bias' is missing (shape [3] expected)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_RefusesExtraTensor_NamingIt()
    {
        byte[] file = File((b, t) => t.Name == "output.bias" && b.F32(t.Name, t.Shape, t.Data).F32("head.weight", [2], [1f, 2f]) is not null);

        ModelImportException error = Refusal(file);

        Assert.Contains("Tensor 'head.weight' is not part of the architecture", error.Message, StringComparison.Ordinal);
        Assert.Contains("expected: dense1.weight, dense1.bias", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_RefusesMisshapenTensor_NamingItAndBothShapes()
    {
        byte[] file = File((b, t) => t.Name == "dense1.weight" && b.F32(t.Name, [8, 5], new float[40]) is not null);

        ModelImportException error = Refusal(file);

        Assert.Contains("Tensor 'dense1.weight' has shape [8, 5]; the architecture expects [8, 4]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_RefusesIntegerTensor_NamingItsDtype()
    {
        byte[] file = File((b, t) => t.Name == "output.bias" && b.Raw(t.Name, "I64", t.Shape, new byte[24]) is not null);

        ModelImportException error = Refusal(file);

        Assert.Contains("Tensor 'output.bias' has dtype I64; only F32, F16 and BF16 are accepted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_DropsBatchNormCounters_WithANote()
    {
        byte[] file = File((b, t) => t.Name == "bn1.running_var" && b.F32(t.Name, t.Shape, t.Data).Raw("bn1.num_batches_tracked", "I64", [], new byte[8]) is not null);

        ImportedBaseModel imported = BaseModelImporter.Import(Architecture.ToJson(), file, ImportedWeightsFormat.Safetensors);

        Assert.DoesNotContain("bn1.num_batches_tracked", imported.Weights.Names);
        Assert.Contains(imported.Notes, n => n.Contains("num_batches_tracked", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_RefusesUnknownLayerKind_ListingSupportedKinds()
    {
        string json = Architecture.ToJson().Replace("\"relu\"", "\"lstm\"", StringComparison.Ordinal);

        ModelImportException error = Refusal(File(), json);

        Assert.Contains("'lstm'", error.Message, StringComparison.Ordinal);
        Assert.Contains("dense, relu, conv2d", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{ not json")]
    [InlineData("""{"inputSize":4,"classNames":["a"],"layers":[]}""")]
    public void Import_RefusesBadArchitecture_SayingSo(string json)
    {
        ModelImportException error = Refusal(File(), json);

        Assert.StartsWith("The architecture", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_RefusesTruncatedSafetensors_SayingWhichFormat()
    {
        byte[] file = File();

        ModelImportException error = Refusal(file[..^4]);

        Assert.StartsWith("The weights could not be read as a safetensors file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_RefusesStateDict_WhenNoReaderIsGiven()
    {
        ModelImportException error = Assert.Throws<ModelImportException>(() =>
            BaseModelImporter.Import(Architecture.ToJson(), new byte[] { 0x50, 0x4B, 3, 4 }, ImportedWeightsFormat.PyTorchStateDict));

        Assert.Contains("upload safetensors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_ChecksWhatTheStateDictReaderReturns()
    {
        var reader = new DictionaryReader(SafeTensorsFormat.ReadTensors(File((_, t) => t.Name == "bn1.bias")));

        ModelImportException error = Assert.Throws<ModelImportException>(() =>
            BaseModelImporter.Import(Architecture.ToJson(), new byte[] { 0x50, 0x4B, 3, 4 }, ImportedWeightsFormat.PyTorchStateDict, reader));

        Assert.Contains("Tensor 'bn1.bias' is missing", error.Message, StringComparison.Ordinal);
        Assert.True(reader.Called);
    }

    [Fact]
    public void DetectFormat_RecognisesSafetensorsZipAndPickle_AndNothingElse()
    {
        Assert.Equal(ImportedWeightsFormat.Safetensors, BaseModelImporter.DetectFormat(File()));
        Assert.Equal(ImportedWeightsFormat.PyTorchStateDict, BaseModelImporter.DetectFormat([0x50, 0x4B, 3, 4, 0, 0, 0, 0, 0]));
        Assert.Equal(ImportedWeightsFormat.PyTorchStateDict, BaseModelImporter.DetectFormat([0x80, 2, 0x8A, 0x0A]));
        Assert.Null(BaseModelImporter.DetectFormat("label,x\n1,2\n"u8));
        Assert.Null(BaseModelImporter.DetectFormat([]));
    }

    private sealed class DictionaryReader(IReadOnlyDictionary<string, StateDictTensor> tensors) : IStateDictReader
    {
        public bool Called { get; private set; }

        public IReadOnlyDictionary<string, StateDictTensor> Read(Stream source)
        {
            Called = true;
            return tensors;
        }
    }
}
