namespace FTLPortal.Federation.Rounds;

/// <summary>Thrown when a federated run cannot continue, e.g. too few participants returned a valid update in a round.</summary>
public sealed class FederationFailedException : Exception
{
    public FederationFailedException()
    {
    }

    public FederationFailedException(string message)
        : base(message)
    {
    }

    public FederationFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FederationFailedException(string message, int round, IReadOnlyList<DroppedParticipant> dropped)
        : base(message)
    {
        Round = round;
        Dropped = dropped;
    }

    /// <summary>The round that failed, when the failure belongs to one.</summary>
    public int? Round { get; }

    public IReadOnlyList<DroppedParticipant> Dropped { get; } = [];
}
