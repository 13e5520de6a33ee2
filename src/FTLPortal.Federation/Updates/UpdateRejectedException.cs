namespace FTLPortal.Federation.Updates;

/// <summary>Thrown when a partner's model update fails the coordinator's checks; <see cref="Exception.Message"/> says why.</summary>
public sealed class UpdateRejectedException : Exception
{
    public UpdateRejectedException()
    {
    }

    public UpdateRejectedException(string message)
        : base(message)
    {
    }

    public UpdateRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UpdateRejectedException(string partnerId, string reason)
        : base($"The update of partner '{partnerId}' was rejected: {reason}")
    {
        PartnerId = partnerId;
        Reason = reason;
    }

    public string? PartnerId { get; }

    public string? Reason { get; }
}
