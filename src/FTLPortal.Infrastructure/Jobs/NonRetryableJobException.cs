namespace FTLPortal.Infrastructure.Jobs;

/// <summary>
/// A job failed for a reason another attempt cannot fix (its data or its parameters, a deleted base model, a bug): the
/// portal job is already recorded Failed, and the scheduler must not retry it.
/// </summary>
public sealed class NonRetryableJobException : Exception
{
    public NonRetryableJobException()
    {
    }

    public NonRetryableJobException(string message)
        : base(message)
    {
    }

    public NonRetryableJobException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
