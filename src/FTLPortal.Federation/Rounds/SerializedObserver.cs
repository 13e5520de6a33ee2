namespace FTLPortal.Federation.Rounds;

/// <summary>Passes the round loop's notifications to the observer one at a time (clients finish concurrently).</summary>
internal sealed class SerializedObserver(IFederationObserver? observer)
{
    private readonly Lock _gate = new();

    public void Notify(Action<IFederationObserver> action)
    {
        if (observer is null)
        {
            return;
        }

        lock (_gate)
        {
            action(observer);
        }
    }
}
