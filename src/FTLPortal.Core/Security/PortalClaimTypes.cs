namespace FTLPortal.Core.Security;

/// <summary>Claims the portal adds to a signed-in user.</summary>
public static class PortalClaimTypes
{
    /// <summary>The partner a user belongs to (absent for users of the coordinator such as Ops).</summary>
    public const string PartnerId = "ftl:partner";

    /// <summary>Display-only: added at sign-in, so the header needs no database query per request.</summary>
    public const string DisplayName = "ftl:display_name";

    /// <summary>Display-only: the name of the user's partner.</summary>
    public const string PartnerName = "ftl:partner_name";
}
