namespace FTLPortal.Learning.Import;

/// <summary>A base model that cannot be imported; the message names the layer or tensor at fault.</summary>
public sealed class ModelImportException : Exception
{
    public ModelImportException()
    {
    }

    public ModelImportException(string message)
        : base(message)
    {
    }

    public ModelImportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
