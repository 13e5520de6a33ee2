namespace FTLPortal.Federation.Agents;

/// <summary>Thrown by an agent asked about a domain it does not hold.</summary>
public sealed class DomainNotFoundException : Exception
{
    public DomainNotFoundException()
    {
    }

    public DomainNotFoundException(string message)
        : base(message)
    {
    }

    public DomainNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
