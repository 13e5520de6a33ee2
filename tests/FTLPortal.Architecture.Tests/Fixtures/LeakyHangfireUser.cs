using Hangfire;

namespace FTLPortal.Architecture.Tests.Fixtures;

/// <summary>Names Hangfire outside the allowed namespace, only in a generic argument of a local: the confinement rule must see it.</summary>
public static class LeakyHangfireUser
{
    public static int Count(object jobs)
    {
        var list = jobs as List<IRecurringJobManager>;
        return list?.Count ?? 0;
    }
}
