namespace FTLPortal.Browser.Tests.Support;

/// <summary>One portal process and one browser shared by every browser test (starting either takes seconds).</summary>
[CollectionDefinition(Name)]
public sealed class PortalFixtures : ICollectionFixture<PortalServer>, ICollectionFixture<ChromiumFixture>
{
    public const string Name = "portal";
}
