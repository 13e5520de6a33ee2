namespace FTLPortal.Learning.Data;

/// <summary>A dataset could not be read or used; the message is meant for the person who supplied the file.</summary>
public sealed class DatasetFormatException : Exception
{
    public DatasetFormatException()
    {
    }

    public DatasetFormatException(string message)
        : base(message)
    {
    }

    public DatasetFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
