using FTLPortal.Learning.Tensors;

namespace FTLPortal.Learning.Tests.Tensors;

public class WeightSetTests
{
    private static WeightSet Sample() => new()
    {
        new NamedTensor("dense1.weight", [2, 2], [1, 2, 3, 4]),
        new NamedTensor("dense1.bias", [2], [5, 6]),
        new NamedTensor("output.weight", [1, 2], [7, 8]),
        new NamedTensor("output.bias", [1], [9]),
    };

    [Fact]
    public void OnlyAndExcept_SelectByLayerName_KeepingOrder()
    {
        WeightSet weights = Sample();

        Assert.Equal(["dense1.weight", "dense1.bias"], weights.Only(["dense1"]).Names);
        Assert.Equal(["output.weight", "output.bias"], weights.Except(["dense1"]).Names);
        Assert.Equal(["dense1", "output"], weights.LayerNames);
        Assert.Equal(9, weights.ParameterCount);
    }

    [Fact]
    public void Sha256_IsStable_AndChangesWithAnyValueNameOrShape()
    {
        string hash = Sample().Sha256();
        WeightSet changedValue = Sample();
        changedValue["output.bias"].Data[0] = 9.000001f;
        var reshaped = new WeightSet(Sample().Select(t => t.Name == "dense1.weight" ? new NamedTensor(t.Name, [4], t.Data) : t));
        var renamed = new WeightSet(Sample().Select(t => t.Name == "output.bias" ? new NamedTensor("output.b", t.Shape, t.Data) : t));

        Assert.Equal(hash, Sample().Sha256());
        Assert.Equal(64, hash.Length);
        Assert.NotEqual(hash, changedValue.Sha256());
        Assert.NotEqual(hash, reshaped.Sha256());
        Assert.NotEqual(hash, renamed.Sha256());
    }

    [Fact]
    public void Clone_IsDeep()
    {
        WeightSet original = Sample();

        WeightSet copy = original.Clone();
        copy["dense1.bias"].Data[0] = -1;

        Assert.Equal(5f, original["dense1.bias"].Data[0]);
    }

    [Fact]
    public void AddAndIndexer_RejectDuplicatesAndNameMissingTensors()
    {
        WeightSet weights = Sample();

        Assert.Throws<ArgumentException>(() => weights.Add("dense1.bias", [1], [0f]));
        Assert.Contains("'nope'", Assert.Throws<KeyNotFoundException>(() => weights["nope"]).Message, StringComparison.Ordinal);
        Assert.False(weights.TryGet("nope", out _));
        Assert.True(weights.TryGet("output.bias", out NamedTensor? bias));
        Assert.Equal("output", bias.LayerName);
    }

    [Fact]
    public void NamedTensor_Throws_WhenShapeAndDataDisagree()
    {
        var error = Assert.Throws<ArgumentException>(() => new NamedTensor("x.weight", [2, 3], new float[5]));

        Assert.Contains("6 elements", error.Message, StringComparison.Ordinal);
    }
}
