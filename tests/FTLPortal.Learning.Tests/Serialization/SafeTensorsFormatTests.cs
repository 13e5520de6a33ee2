using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Serialization;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Learning.Tests.Serialization;

public class SafeTensorsFormatTests
{
    private static WeightSet SmallWeights() => new()
    {
        new NamedTensor("layer.weight", [2, 3], [1f, -2f, 3.5f, 0f, float.Epsilon, -0.125f]),
        new NamedTensor("layer.bias", [2], [0.25f, -7f]),
    };

    [Fact]
    public void SaveThenLoad_ReproducesPredictionsExactly()
    {
        TabularDataset data = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 200, Seed = 1 });
        SequentialModel model = SequentialModel.Create(ModelArchitecture.Mlp(8, [16, 8], data.ClassNames), seed: 1);
        Trainer.Train(model, data, new TrainingOptions { Epochs = 2 });
        using var file = new MemoryStream();
        SafeTensorsFormat.Write(file, model.GetWeights(), new Dictionary<string, string> { ["architecture"] = model.Architecture.ToJson() });

        file.Position = 0;
        WeightSet loaded = SafeTensorsFormat.Read(file);
        var architecture = ModelArchitecture.FromJson(SafeTensorsFormat.ReadMetadata(file.ToArray())["architecture"]);
        SequentialModel restored = SequentialModel.Create(architecture, loaded);

        var expected = new float[data.Rows * 3];
        var actual = new float[data.Rows * 3];
        model.PredictProbabilities(data.Features, data.Rows, expected);
        restored.PredictProbabilities(data.Features, data.Rows, actual);
        Assert.Equal(expected, actual);
        Assert.Equal(model.GetWeights().Sha256(), loaded.Sha256());
        Assert.Equal(model.GetWeights().Names, loaded.Names);
    }

    [Fact]
    public void ToBytes_FollowsTheSpec_WhenParsedByHand()
    {
        byte[] bytes = SafeTensorsFormat.ToBytes(SmallWeights(), new Dictionary<string, string> { ["format"] = "pt" });

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, (8 + headerLength) % 8); // data section is 8-byte aligned
        string headerText = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        using JsonDocument header = JsonDocument.Parse(headerText);
        JsonElement root = header.RootElement;
        Assert.Equal("pt", root.GetProperty("__metadata__").GetProperty("format").GetString());

        JsonElement weight = root.GetProperty("layer.weight");
        Assert.Equal("F32", weight.GetProperty("dtype").GetString());
        Assert.Equal([2, 3], weight.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([0L, 24L], weight.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        JsonElement bias = root.GetProperty("layer.bias");
        Assert.Equal([24L, 32L], bias.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));

        int dataStart = 8 + (int)headerLength;
        Assert.Equal(dataStart + 32, bytes.Length);
        Assert.Equal(3.5f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(dataStart + 8)));
        Assert.Equal(float.Epsilon, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(dataStart + 16)));
        Assert.Equal(-7f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(dataStart + 28)));
    }

    [Fact]
    public void FromBytes_ReadsAHandBuiltFile_InDataOrder_WhateverTheJsonOrder()
    {
        // Like Python's writer: names sorted in the JSON, data in another order, no metadata, no padding.
        byte[] bytes = HandBuilt(
            """{"a.bias":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},"b.weight":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""",
            [1.5f, -2.5f, 9f]);

        WeightSet weights = SafeTensorsFormat.FromBytes(bytes);

        Assert.Equal(["b.weight", "a.bias"], weights.Names);
        Assert.Equal([1.5f, -2.5f], weights["b.weight"].Data);
        Assert.Equal([9f], weights["a.bias"].Data);
        Assert.Empty(SafeTensorsFormat.ReadMetadata(bytes));
    }

    [Theory]
    [InlineData("""{"t":{"dtype":"F16","shape":[2],"data_offsets":[0,8]}}""", "only F32")]
    [InlineData("""{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}}""", "span 16 bytes")]
    [InlineData("""{"t":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", "ends at byte 16")]
    [InlineData("""{"t":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", "contiguous")]
    [InlineData("""{"t":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", "invalid data_offsets")]
    [InlineData("""{"t":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", "invalid shape")]
    [InlineData("""{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", "cover 4")]
    [InlineData("""{"t":{"dtype":"F32",""", "not valid JSON")]
    [InlineData("""[1,2]""", "not a JSON object")]
    public void FromBytes_RejectsCorruptHeaders_WithAClearMessage(string header, string expected)
    {
        byte[] bytes = HandBuilt(header, [1f, 2f]);

        var error = Assert.Throws<InvalidDataException>(() => SafeTensorsFormat.FromBytes(bytes));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBytes_RejectsTruncatedFilesAndImpossibleHeaderLengths()
    {
        byte[] valid = SafeTensorsFormat.ToBytes(SmallWeights());
        byte[] hugeLength = (byte[])valid.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(hugeLength, ulong.MaxValue);

        Assert.Contains("shorter than the 8-byte", Assert.Throws<InvalidDataException>(() => SafeTensorsFormat.FromBytes(valid.AsSpan(0, 5))).Message, StringComparison.Ordinal);
        Assert.Contains("does not fit", Assert.Throws<InvalidDataException>(() => SafeTensorsFormat.FromBytes(hugeLength)).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => SafeTensorsFormat.FromBytes(valid.AsSpan(0, valid.Length - 4)));
    }

    [Fact]
    public void ReadMetadata_ReturnsTheStringsWritten()
    {
        var metadata = new Dictionary<string, string> { ["seed"] = "42", ["note"] = "ünïcode \"quoted\"" };

        IReadOnlyDictionary<string, string> read = SafeTensorsFormat.ReadMetadata(SafeTensorsFormat.ToBytes(SmallWeights(), metadata));

        Assert.Equal(metadata.OrderBy(p => p.Key), read.OrderBy(p => p.Key));
    }

    private static byte[] HandBuilt(string header, float[] data)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + (data.Length * 4)];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        for (int i = 0; i < data.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(8 + json.Length + (i * 4)), data[i]);
        }

        return bytes;
    }
}
