namespace FTLPortal.Infrastructure.Identity;

/// <summary>Display-only claims added at sign-in, so the header needs no database query per request.</summary>
public static class PortalUserClaimTypes
{
    public const string DisplayName = "ftl:display_name";

    public const string PartnerName = "ftl:partner_name";
}
