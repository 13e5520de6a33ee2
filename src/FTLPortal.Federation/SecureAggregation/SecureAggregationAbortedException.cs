namespace FTLPortal.Federation.SecureAggregation;

/// <summary>Thrown when a secure aggregation round cannot finish safely (too few clients left to reach the threshold, or a protocol violation); nothing is unmasked.</summary>
public sealed class SecureAggregationAbortedException : Exception
{
    public SecureAggregationAbortedException()
    {
    }

    public SecureAggregationAbortedException(string message)
        : base(message)
    {
    }

    public SecureAggregationAbortedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
