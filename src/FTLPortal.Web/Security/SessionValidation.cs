namespace FTLPortal.Web.Security;

/// <summary>How soon a sign-out, password change, disabled account or role change reaches every session of that user.</summary>
public static class SessionValidation
{
    /// <summary>Cookies (SecurityStampValidator) and live circuits re-check the user's security stamp this often.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
}
