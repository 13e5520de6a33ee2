namespace FTLPortal.Federation.Agents;

/// <summary>A request named a training engine that the agent does not offer.</summary>
public sealed class EngineNotOfferedException : NotSupportedException
{
    public EngineNotOfferedException()
    {
    }

    public EngineNotOfferedException(string message)
        : base(message)
    {
    }

    public EngineNotOfferedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
