using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FTLPortal.Infrastructure.Identity;

/// <summary>
/// Password sign-in with the portal's rules: an unknown email costs the same password hash as a known one (no timing
/// oracle for which emails exist), failures count per (account, address) as <see cref="SignInThrottle"/> describes
/// instead of locking the account for everyone, and every failure is logged with email, address and reason, never the
/// password.
/// </summary>
public sealed partial class PortalSignInManager(
    UserManager<PortalUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<PortalUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<PortalUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<PortalUser> confirmation,
    SignInThrottle throttle,
    ILogger<PortalSignInManager> audit)
    : SignInManager<PortalUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    private static readonly PortalUser DummyUser = new() { UserName = "unknown", Email = "unknown" };

    private readonly Lazy<string> _dummyHash = new(() => userManager.PasswordHasher.HashPassword(DummyUser, Guid.NewGuid().ToString("N")));

    /// <remarks><paramref name="lockoutOnFailure"/> is ignored: the per-address throttle replaces account lockout.</remarks>
    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        ArgumentNullException.ThrowIfNull(userName);
        var address = Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (throttle.IsBlocked(userName, address))
        {
            // Same work as a real attempt, so a blocked pair is not told apart by timing either.
            UserManager.PasswordHasher.VerifyHashedPassword(DummyUser, _dummyHash.Value, password ?? "");
            LogFailed(audit, userName, address, "too many failures from this address");
            return SignInResult.LockedOut;
        }

        var user = await UserManager.FindByNameAsync(userName) ?? await UserManager.FindByEmailAsync(userName);
        if (user is null)
        {
            UserManager.PasswordHasher.VerifyHashedPassword(DummyUser, _dummyHash.Value, password ?? "");
            throttle.RecordFailure(userName, address);
            LogFailed(audit, userName, address, "unknown account");
            return SignInResult.Failed;
        }

        var result = await PasswordSignInAsync(user, password ?? "", isPersistent, lockoutOnFailure: false);
        if (result.Succeeded)
        {
            throttle.RecordSuccess(userName, address);
            LogSucceeded(audit, userName, address);
        }
        else
        {
            if (!result.IsLockedOut && !result.IsNotAllowed)
            {
                throttle.RecordFailure(userName, address);
            }

            LogFailed(audit, userName, address, result.IsLockedOut ? "account disabled or locked" : result.IsNotAllowed ? "not allowed" : "wrong password");
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in failed for {Email} from {Address}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string email, string address, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signed in {Email} from {Address}")]
    private static partial void LogSucceeded(ILogger logger, string email, string address);
}
