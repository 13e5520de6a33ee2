namespace FTLPortal.Core.Security;

/// <summary>What the sign-in page tells the user; deliberately no distinction between unknown email and wrong password.</summary>
public enum PasswordSignInOutcome
{
    Succeeded,
    Failed,
    LockedOut,
    NotAllowed,
}
