using FTLPortal.Core.Security;

namespace FTLPortal.Web.Hubs;

/// <summary>Group names of <see cref="JobsHub"/>.</summary>
public static class JobsHubGroups
{
    /// <summary>Admin, data scientists and ops: every job's events.</summary>
    public const string Staff = "staff";

    public static string Job(Guid jobId) => $"job:{jobId}";

    public static string Partner(Guid partnerId) => $"partner:{partnerId}";

    /// <summary>The broad groups a user joins on connect: <c>staff</c> for coordinator staff, <c>partner:{id}</c> for a partner's users.</summary>
    public static IReadOnlyList<string> For(PortalUserContext user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var groups = new List<string>(2);
        if (user.SeesAllJobs)
        {
            groups.Add(Staff);
        }

        if (user.PartnerId is { } partnerId)
        {
            groups.Add(Partner(partnerId));
        }

        return groups;
    }
}
