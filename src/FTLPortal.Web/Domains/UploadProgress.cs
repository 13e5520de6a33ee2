namespace FTLPortal.Web.Domains;

/// <summary>
/// The percentage of an upload read so far, for a form's progress bar. It asks for a re-render at most every 2 % so that a
/// large file does not flood the circuit.
/// </summary>
internal sealed class UploadProgress(Func<Task> render)
{
    private long _lastShown;

    public double Percent { get; private set; }

    public void Reset()
    {
        Percent = 0;
        _lastShown = 0;
    }

    public void Report(long read, long size)
    {
        if (read - _lastShown < size / 50 && read < size)
        {
            return;
        }

        _lastShown = read;
        Percent = Math.Min(100, 100.0 * read / Math.Max(1, size));
        _ = render();
    }
}
