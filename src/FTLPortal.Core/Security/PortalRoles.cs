namespace FTLPortal.Core.Security;

/// <summary>The roles of DESIGN.md; names are stored in Identity's role table.</summary>
public static class PortalRoles
{
    public const string Admin = "Admin";
    public const string PartnerAdmin = "PartnerAdmin";
    public const string DataScientist = "DataScientist";
    public const string Ops = "Ops";

    public static IReadOnlyList<string> All { get; } = [Admin, PartnerAdmin, DataScientist, Ops];
}
