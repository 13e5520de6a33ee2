namespace FTLPortal.Web.Tests;

public class ProjectSmokeTests
{
    [Fact]
    public void Build_Succeeds_WhenProjectCompiles() => Assert.True(true);
}
