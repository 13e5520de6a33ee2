namespace FTLPortal.Federation.Agents;

/// <summary>
/// Thrown by an agent when a domain cannot be used with a model: a class the model does not know, or a different number
/// of features than the model's input size.
/// </summary>
public sealed class IncompatibleDomainException : Exception
{
    public IncompatibleDomainException()
    {
    }

    public IncompatibleDomainException(string message)
        : base(message)
    {
    }

    public IncompatibleDomainException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
