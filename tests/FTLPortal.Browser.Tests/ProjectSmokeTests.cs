namespace FTLPortal.Browser.Tests;

public class ProjectSmokeTests
{
    [Fact]
    public void Build_Succeeds_WhenProjectCompiles() => Assert.True(true);
}
