using System.Security.Claims;

namespace FTLPortal.Core.Security;

/// <summary>Turns the signed-in principal into Core's view of the user (claims are BCL types, so pages need nothing else).</summary>
public static class PortalUserContextFactory
{
    public static PortalUserContext FromPrincipal(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        Guid? partnerId = Guid.TryParse(principal.FindFirst(PortalClaimTypes.PartnerId)?.Value, out var id) ? id : null;
        return new PortalUserContext(
            principal.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "",
            principal.FindFirst(ClaimTypes.Email)?.Value ?? principal.Identity?.Name ?? "",
            roles,
            partnerId);
    }

    /// <summary>The name the header shows: the display-name claim, else the sign-in name.</summary>
    public static string DisplayName(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.FindFirst(PortalClaimTypes.DisplayName)?.Value ?? principal.Identity?.Name ?? "";
    }

    /// <summary>The user's partner name, or null for coordinator staff.</summary>
    public static string? PartnerName(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.FindFirst(PortalClaimTypes.PartnerName)?.Value;
    }
}
