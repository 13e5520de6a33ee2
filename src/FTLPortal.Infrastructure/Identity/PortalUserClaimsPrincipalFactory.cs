using System.Security.Claims;
using FTLPortal.Core.Security;
using FTLPortal.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FTLPortal.Infrastructure.Identity;

/// <summary>Adds the user's partner and display name to the cookie principal, beside Identity's role claims.</summary>
public sealed class PortalUserClaimsPrincipalFactory(
    UserManager<PortalUser> userManager,
    RoleManager<IdentityRole> roleManager,
    IOptions<IdentityOptions> options,
    IDbContextFactory<PortalDbContext> dbFactory)
    : UserClaimsPrincipalFactory<PortalUser, IdentityRole>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PortalUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(PortalClaimTypes.DisplayName, string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? user.UserName ?? "" : user.DisplayName));
        if (user.PartnerId is { } partnerId)
        {
            identity.AddClaim(new Claim(PortalClaimTypes.PartnerId, partnerId.ToString()));
            await using var db = await dbFactory.CreateDbContextAsync();
            var partnerName = await db.Partners.Where(p => p.Id == partnerId).Select(p => p.Name).FirstOrDefaultAsync();
            if (partnerName is not null)
            {
                identity.AddClaim(new Claim(PortalClaimTypes.PartnerName, partnerName));
            }
        }

        return identity;
    }
}
