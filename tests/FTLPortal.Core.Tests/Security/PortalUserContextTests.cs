using FTLPortal.Core.Security;

namespace FTLPortal.Core.Tests.Security;

public sealed class PortalUserContextTests
{
    private static readonly Guid Mine = Guid.NewGuid();
    private static readonly Guid Theirs = Guid.NewGuid();

    private static PortalUserContext User(string role, Guid? partner = null) => new("id", "u@ftl.local", new HashSet<string> { role }, partner);

    [Fact]
    public void CanManageDomainsOf_AllowsOnlyOwnPartner_ForPartnerAdmin()
    {
        var admin = User(PortalRoles.PartnerAdmin, Mine);

        Assert.True(admin.CanManageDomainsOf(Mine));
        Assert.False(admin.CanManageDomainsOf(Theirs));
        Assert.True(admin.CanSeeDomainsOf(Mine));
        Assert.False(admin.CanSeeDomainsOf(Theirs));
        Assert.False(admin.SeesAllJobs);
        Assert.False(admin.CanRunScience);
    }

    [Fact]
    public void DataScientist_SeesEveryDomainAndJob_ButManagesNone()
    {
        var scientist = User(PortalRoles.DataScientist);

        Assert.True(scientist.CanSeeDomainsOf(Theirs));
        Assert.True(scientist.SeesAllJobs);
        Assert.True(scientist.CanRunScience);
        Assert.False(scientist.CanManageDomainsOf(Theirs));
        Assert.False(scientist.CanOperate);
    }

    [Fact]
    public void Ops_OperatesAndSeesJobs_ButNotDomains()
    {
        var ops = User(PortalRoles.Ops);

        Assert.True(ops.CanOperate);
        Assert.True(ops.SeesAllJobs);
        Assert.False(ops.CanSeeDomainsOf(Theirs));
        Assert.False(ops.CanRunScience);
    }

    [Fact]
    public void Admin_MayDoEverything()
    {
        var admin = User(PortalRoles.Admin);

        Assert.True(admin.CanManageDomainsOf(Theirs) && admin.CanRunScience && admin.CanOperate && admin.SeesAllJobs && admin.CanSeeDomainsOf(Mine));
    }

    [Fact]
    public void UserWithoutPartner_SeesNoPartnerDomains_WhenNotStaff()
    {
        var stranger = User("Guest");

        Assert.False(stranger.CanSeeDomainsOf(Mine));
        Assert.False(stranger.CanManageDomainsOf(Mine));
    }
}
