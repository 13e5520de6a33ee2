using FTLPortal.Core.Security;
using Microsoft.AspNetCore.Identity;

namespace FTLPortal.Infrastructure.Identity;

/// <summary>Core's sign-in seam on Identity: the portal's sign-in manager (throttle, audit log, constant-time unknown emails).</summary>
public sealed class IdentityPasswordSignIn(SignInManager<PortalUser> signInManager) : IPasswordSignIn
{
    public async Task<PasswordSignInOutcome> SignInAsync(string email, string password)
    {
        ArgumentNullException.ThrowIfNull(email);
        var result = await signInManager.PasswordSignInAsync(email.Trim(), password ?? "", isPersistent: false, lockoutOnFailure: true);
        return result.Succeeded ? PasswordSignInOutcome.Succeeded
            : result.IsLockedOut ? PasswordSignInOutcome.LockedOut
            : result.IsNotAllowed ? PasswordSignInOutcome.NotAllowed
            : PasswordSignInOutcome.Failed;
    }
}
