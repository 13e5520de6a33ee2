using System.Security.Claims;
using System.Text.Encodings.Web;
using FTLPortal.Infrastructure.Agents;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace FTLPortal.Web.Security;

/// <summary>
/// The agents' authentication scheme, separate from the users' cookies: <c>Authorization: Bearer &lt;agent key&gt;</c>. No header
/// is "no result"; a malformed, unknown or revoked key fails (401). The accepted principal speaks for the key's partner only.
/// </summary>
public sealed class AgentKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AgentKeyService keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AgentKey";

    public const string PartnerClaim = "ftl:agent_partner";
    public const string PartnerSlugClaim = "ftl:agent_partner_slug";
    public const string KeyClaim = "ftl:agent_key";
    public const string PrefixClaim = "ftl:agent_key_prefix";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return AuthenticateResult.NoResult();
        }

        var identity = await keys.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (identity is null)
        {
            return AuthenticateResult.Fail("The agent key is not valid (unknown or revoked).");
        }

        var claims = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, $"agent:{identity.KeyId}"),
                new Claim(PartnerClaim, identity.PartnerId.ToString()),
                new Claim(PartnerSlugClaim, identity.PartnerSlug),
                new Claim(KeyClaim, identity.KeyId.ToString()),
                new Claim(PrefixClaim, identity.Prefix),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(claims), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    /// <summary>The key behind a principal this scheme accepted.</summary>
    public static AgentKeyIdentity IdentityOf(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return new AgentKeyIdentity(
            Guid.Parse(principal.FindFirstValue(KeyClaim)!),
            Guid.Parse(principal.FindFirstValue(PartnerClaim)!),
            principal.FindFirstValue(PartnerSlugClaim)!,
            principal.FindFirstValue(PrefixClaim)!);
    }
}
