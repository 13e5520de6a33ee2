namespace FTLPortal.Federation.Packaging;

/// <summary>A model package that cannot be read: a missing entry, a hash that does not match, or bad JSON.</summary>
public sealed class ModelPackageException : Exception
{
    public ModelPackageException()
    {
    }

    public ModelPackageException(string message)
        : base(message)
    {
    }

    public ModelPackageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
