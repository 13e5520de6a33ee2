using Microsoft.AspNetCore.Identity;

namespace FTLPortal.Infrastructure.Identity;

/// <summary>An Identity user with the partner it belongs to (null for coordinator staff).</summary>
public sealed class PortalUser : IdentityUser
{
    public Guid? PartnerId { get; set; }

    public string DisplayName { get; set; } = "";
}
