using System.Security.Claims;
using FTLPortal.Core.Security;

namespace FTLPortal.Web.Tests.Support;

/// <summary>Signed-in principals per role, with the claims the portal's cookie carries.</summary>
public static class TestUsers
{
    public static readonly Guid NorthPartner = Guid.Parse("11111111-1111-1111-1111-111111111111");

    public static readonly Guid SouthPartner = Guid.Parse("22222222-2222-2222-2222-222222222222");

    public static ClaimsPrincipal WithRole(string role, Guid? partnerId = null, string email = "someone@ftl.local")
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, email),
            new(ClaimTypes.Name, email),
            new(ClaimTypes.Email, email),
            new(ClaimTypes.Role, role),
        };
        if (partnerId is { } p)
        {
            claims.Add(new Claim(PortalClaimTypes.PartnerId, p.ToString()));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType: "Test"));
    }

    public static ClaimsPrincipal Anonymous { get; } = new(new ClaimsIdentity());
}
