using FTLPortal.Learning.Engines;

namespace FTLPortal.Learning.Tests.Engines;

public class EngineCatalogTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("builtin")]
    [InlineData("BuiltIn")]
    public void Get_ReturnsBuiltIn_ForDefaultOrItsName(string? name)
    {
        Assert.Same(BuiltInEngine.Instance, EngineCatalog.BuiltInOnly.Get(name));
    }

    [Fact]
    public void Get_ThrowsListingAvailable_WhenNameUnknown()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => EngineCatalog.BuiltInOnly.Get("tensorflow"));

        Assert.Contains("'tensorflow'", error.Message, StringComparison.Ordinal);
        Assert.Contains("builtin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_ListsEveryRegisteredEngine_Always()
    {
        Assert.Equal(["builtin"], EngineCatalog.BuiltInOnly.Names);
    }
}
