using System.Security.Claims;
using FTLPortal.Core.Security;

namespace FTLPortal.Infrastructure.Security;

/// <summary>Turns the signed-in principal into Core's view of the user.</summary>
public static class PortalUserContextFactory
{
    public static PortalUserContext FromPrincipal(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        Guid? partnerId = Guid.TryParse(principal.FindFirstValue(PortalClaimTypes.PartnerId), out var id) ? id : null;
        return new PortalUserContext(
            principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "",
            principal.FindFirstValue(ClaimTypes.Email) ?? principal.Identity?.Name ?? "",
            roles,
            partnerId);
    }
}
