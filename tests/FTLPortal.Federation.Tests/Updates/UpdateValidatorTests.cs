using FTLPortal.Federation.Tests.Support;
using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Tests.Updates;

public class UpdateValidatorTests
{
    private static readonly string[] Frozen = ["dense1"];
    private readonly WeightSet _global = TestData.SmallMlp().Weights;
    private readonly UpdateValidator _validator = new();

    private WeightSet TrainableCopy() => _global.Except(Frozen).Clone();

    [Fact]
    public void Validate_Accepts_WhenUpdateHoldsExactlyTheTrainableTensors()
    {
        UpdateValidationResult result = _validator.Validate(new ClientUpdate("a", 10, TrainableCopy()), _global, Frozen);

        Assert.True(result.IsValid, result.Reason);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Validate_Rejects_WhenTensorHoldsNonFiniteValue(float value)
    {
        WeightSet weights = TrainableCopy();
        weights["output.weight"].Data[3] = value;

        UpdateValidationResult result = _validator.Validate(new ClientUpdate("a", 10, weights), _global, Frozen);

        Assert.False(result.IsValid);
        Assert.Contains("output.weight", result.Reason, StringComparison.Ordinal);
        Assert.Contains("non-finite", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Rejects_WhenShapeDiffers()
    {
        WeightSet weights = TrainableCopy().Except(["output"]);
        NamedTensor reference = _global["output.weight"];
        weights.Add("output.weight", [reference.Shape[1], reference.Shape[0]], (float[])reference.Data.Clone());
        weights.Add(_global["output.bias"].Clone());

        UpdateValidationResult result = _validator.Validate(new ClientUpdate("a", 10, weights), _global, Frozen);

        Assert.False(result.IsValid);
        Assert.Contains("shape", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Rejects_WhenUpdateCarriesFrozenLayerTensor()
    {
        WeightSet weights = TrainableCopy();
        weights.Add(_global["dense1.bias"].Clone());

        UpdateValidationResult result = _validator.Validate(new ClientUpdate("a", 10, weights), _global, Frozen);

        Assert.False(result.IsValid);
        Assert.Contains("frozen layer 'dense1'", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Rejects_WhenTensorNameIsUnknown()
    {
        WeightSet weights = TrainableCopy();
        weights.Add("dense9.weight", [1], [0f]);

        UpdateValidationResult result = _validator.Validate(new ClientUpdate("a", 10, weights), _global, Frozen);

        Assert.False(result.IsValid);
        Assert.Contains("dense9.weight", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Rejects_WhenTrainableTensorIsMissing()
    {
        WeightSet weights = TrainableCopy().Except(["output"]);
        weights.Add(_global["output.weight"].Clone());

        UpdateValidationResult result = _validator.Validate(new ClientUpdate("a", 10, weights), _global, Frozen);

        Assert.False(result.IsValid);
        Assert.Contains("output.bias", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Validate_Rejects_WhenSampleCountIsNotPositive(int samples)
    {
        UpdateValidationResult result = _validator.Validate(new ClientUpdate("a", samples, TrainableCopy()), _global, Frozen);

        Assert.False(result.IsValid);
        Assert.Contains("sample count", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureValid_ThrowsWithPartnerAndReason_WhenUpdateIsInvalid()
    {
        WeightSet weights = TrainableCopy();
        weights["output.bias"].Data[0] = float.NaN;

        UpdateRejectedException error = Assert.Throws<UpdateRejectedException>(
            () => _validator.EnsureValid(new ClientUpdate("acme", 10, weights), _global, Frozen));

        Assert.Equal("acme", error.PartnerId);
        Assert.Contains("acme", error.Message, StringComparison.Ordinal);
        Assert.Contains("output.bias", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Rejects_WhenUpdateExceedsNormBound()
    {
        WeightSet weights = TrainableCopy();
        weights["output.bias"].Data[0] += 3f;
        weights["output.bias"].Data[1] += 4f;

        Assert.True(new UpdateValidator(maxUpdateNorm: 5.01).Validate(new ClientUpdate("a", 10, weights), _global, Frozen).IsValid);
        UpdateValidationResult result = new UpdateValidator(maxUpdateNorm: 4.99).Validate(new ClientUpdate("a", 10, weights), _global, Frozen);

        Assert.False(result.IsValid);
        Assert.Contains("L2 distance", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Rejects_WhenUpdateCarriesLocalLayerTensor()
    {
        WeightSet global = TestData.LocalBatchNormMlp().Weights;
        WeightSet weights = global.Clone();

        UpdateValidationResult result = _validator.Validate(new ClientUpdate("a", 10, weights), global, [], ["bn1"]);

        Assert.False(result.IsValid);
        Assert.Contains("local layer 'bn1'", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Accepts_WhenUpdateLeavesOutLocalLayerTensors()
    {
        WeightSet global = TestData.LocalBatchNormMlp().Weights;

        UpdateValidationResult result = _validator.Validate(new ClientUpdate("a", 10, global.Except(["bn1"])), global, [], ["bn1"]);

        Assert.True(result.IsValid, result.Reason);
    }

    [Fact]
    public void Validate_RequiresBatchNormRunningStatistics_WhenLayerIsNotLocal()
    {
        WeightSet global = TestData.LocalBatchNormMlp(localStatistics: false).Weights;
        WeightSet weights = global.Clone().Except(["bn1"]);
        weights.Add(global["bn1.weight"].Clone());
        weights.Add(global["bn1.bias"].Clone());

        UpdateValidationResult result = _validator.Validate(new ClientUpdate("a", 10, weights), global, []);

        Assert.False(result.IsValid);
        Assert.Contains("bn1.running_mean", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureValid_Throws_WhenUpdateCarriesLocalLayerTensor()
    {
        WeightSet global = TestData.LocalBatchNormMlp().Weights;

        UpdateRejectedException error = Assert.Throws<UpdateRejectedException>(
            () => _validator.EnsureValid(new ClientUpdate("acme", 10, global.Clone()), global, [], ["bn1"]));

        Assert.Contains("bn1", error.Message, StringComparison.Ordinal);
    }
}
