namespace FTLPortal.Core.Security;

/// <summary>Claims the portal adds to a signed-in user.</summary>
public static class PortalClaimTypes
{
    /// <summary>The partner a user belongs to (absent for users of the coordinator such as Ops).</summary>
    public const string PartnerId = "ftl:partner";
}
