using Hangfire;

namespace FTLPortal.Architecture.Tests.Fixtures.Scheduling;

/// <summary>Names Hangfire inside the allowed namespace: the confinement rule must accept it.</summary>
public static class ConfinedHangfireUser
{
    public static string Enqueue(IBackgroundJobClient client) =>
        client is null ? throw new ArgumentNullException(nameof(client)) : client.GetType().Name;
}
