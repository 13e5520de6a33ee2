namespace FTLPortal.Core.Security;

/// <summary>Who is asking: enough of the signed-in user for Core's permission checks.</summary>
public sealed record PortalUserContext(string UserId, string Email, IReadOnlySet<string> Roles, Guid? PartnerId)
{
    public bool IsInRole(string role) => Roles.Contains(role);

    public bool IsAdmin => IsInRole(PortalRoles.Admin);

    /// <summary>Data scientists compare every consenting domain's summary; Admin sees all.</summary>
    public bool SeesAllDomains => IsAdmin || IsInRole(PortalRoles.DataScientist);

    public bool CanRunScience => IsAdmin || IsInRole(PortalRoles.DataScientist);

    public bool CanOperate => IsAdmin || IsInRole(PortalRoles.Ops);

    /// <summary>Coordinator staff see every job; partner admins only jobs that touch their partner.</summary>
    public bool SeesAllJobs => IsAdmin || IsInRole(PortalRoles.DataScientist) || IsInRole(PortalRoles.Ops);

    public bool CanManageDomainsOf(Guid partnerId) =>
        IsAdmin || (IsInRole(PortalRoles.PartnerAdmin) && PartnerId == partnerId);

    public bool CanSeeDomainsOf(Guid partnerId) => SeesAllDomains || PartnerId == partnerId;
}
