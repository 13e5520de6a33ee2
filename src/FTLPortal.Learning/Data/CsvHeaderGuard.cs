namespace FTLPortal.Learning.Data;

/// <summary>
/// Watches the bytes of a CSV upload as they stream in and refuses a header with more than
/// <see cref="CsvReadOptions.MaxColumns"/> columns as soon as the column past the limit starts, so a file that is all
/// header is refused without being read to the end. It looks only at the first non-blank record; the delimiter, quote and
/// line breaks are ASCII, so counting them in UTF-8 bytes is exact.
/// </summary>
public sealed class CsvHeaderGuard
{
    private readonly int _maxColumns;
    private readonly byte _delimiter;
    private readonly bool _active;
    private bool _inQuotes;
    private bool _sawContent;
    private int _columns = 1;

    public CsvHeaderGuard(CsvReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _maxColumns = options.MaxColumns;
        _active = options.Delimiter < 128;
        _delimiter = (byte)options.Delimiter;
    }

    /// <summary>True once the header record has ended (later bytes are not looked at).</summary>
    public bool HeaderComplete { get; private set; }

    /// <summary>Looks at the next bytes of the file; throws <see cref="DatasetFormatException"/> when the header is too wide.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (!_active || HeaderComplete)
        {
            return;
        }

        foreach (byte b in bytes)
        {
            if (b == (byte)'"')
            {
                _inQuotes = !_inQuotes;
                _sawContent = true;
            }
            else if (_inQuotes)
            {
                continue;
            }
            else if (b == _delimiter)
            {
                _sawContent = true;
                if (++_columns > _maxColumns)
                {
                    throw CsvDatasetReader.TooManyColumns(_maxColumns);
                }
            }
            else if (b is (byte)'\n' or (byte)'\r')
            {
                if (_sawContent)
                {
                    HeaderComplete = true;
                    return;
                }
            }
            else if (b is not ((byte)' ' or (byte)'\t' or 0xEF or 0xBB or 0xBF))
            {
                // Leading blank lines (and a byte-order mark) come before the header.
                _sawContent = true;
            }
        }
    }
}
