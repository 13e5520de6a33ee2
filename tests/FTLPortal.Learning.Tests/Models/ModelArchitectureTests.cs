using FTLPortal.Learning.Models;

namespace FTLPortal.Learning.Tests.Models;

public class ModelArchitectureTests
{
    [Fact]
    public void Mlp_NamesLayersDenseReluPairsThenOutput()
    {
        ModelArchitecture architecture = ModelArchitecture.Mlp(10, [32, 16], ["x", "y"]);

        Assert.Equal(["dense1", "relu1", "dense2", "relu2", "output"], architecture.Layers.Select(l => l.Name));
        Assert.Equal(["dense", "relu", "dense", "relu", "dense"], architecture.Layers.Select(l => l.Kind));
        Assert.Equal(2, architecture.Layers[^1].Units);
        Assert.Equal([32, 32, 16, 16, 2], architecture.LayerOutputSizes());
    }

    [Fact]
    public void FromJson_RoundTripsToAnEqualArchitecture()
    {
        ModelArchitecture architecture = ModelArchitecture.Mlp(10, [32], ["x", "y", "z"]);

        string json = architecture.ToJson();
        ModelArchitecture back = ModelArchitecture.FromJson(json);

        Assert.Equal(architecture, back);
        Assert.Equal(architecture.GetHashCode(), back.GetHashCode());
        Assert.Contains("\"inputSize\":10", json, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_Throws_WhenLayersDoNotEndInOneLogitPerClass()
    {
        string json = """{"inputSize":4,"classNames":["a","b"],"layers":[{"name":"dense1","kind":"dense","units":3}]}""";

        var error = Assert.Throws<ArgumentException>(() => ModelArchitecture.FromJson(json));

        Assert.Contains("3 outputs but there are 2 classes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Throws_OnUnknownKindAndDuplicateNames()
    {
        var unknown = new ModelArchitecture
        {
            InputSize = 2,
            ClassNames = ["a", "b"],
            Layers = [new LayerSpec("lstm", "lstm", 2)],
        };
        var duplicate = new ModelArchitecture
        {
            InputSize = 2,
            ClassNames = ["a", "b"],
            Layers = [new LayerSpec("d", "dense", 2), new LayerSpec("d", "dense", 2)],
        };

        Assert.Contains("unknown kind 'lstm'", Assert.Throws<ArgumentException>(unknown.Validate).Message, StringComparison.Ordinal);
        Assert.Contains("'d' is used twice", Assert.Throws<ArgumentException>(duplicate.Validate).Message, StringComparison.Ordinal);
    }
}
