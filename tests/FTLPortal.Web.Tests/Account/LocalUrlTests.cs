using FTLPortal.Web.Account;

namespace FTLPortal.Web.Tests.Account;

public sealed class LocalUrlTests
{
    [Theory]
    [InlineData("/", true)]
    [InlineData("/jobs/3?x=1", true)]
    [InlineData("~/jobs", true)]
    [InlineData("//evil.example", false)]
    [InlineData("/\\evil.example", false)]
    [InlineData("~//evil.example", false)]
    [InlineData("https://evil.example/", false)]
    [InlineData("jobs", false)]
    [InlineData("/jobs\n", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsLocal_AcceptsOnlyPathsOnThisSite(string? url, bool expected) => Assert.Equal(expected, LocalUrl.IsLocal(url));

    [Fact]
    public void OrHome_StripsTildeAndReplacesForeignUrls()
    {
        Assert.Equal("/jobs", LocalUrl.OrHome("~/jobs"));
        Assert.Equal("/", LocalUrl.OrHome("https://evil.example/"));
        Assert.Equal("/domains", LocalUrl.OrHome("/domains"));
    }
}
