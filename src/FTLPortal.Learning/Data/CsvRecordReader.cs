using System.Text;

namespace FTLPortal.Learning.Data;

/// <summary>
/// Reads CSV records one at a time from text (the same dialect as <see cref="CsvRecord.Parse"/>), so a reader never holds
/// more than one record's cells. Cells past a record's limit are counted, not kept, and a record that must not exceed its
/// limit (a header) stops being read the moment it does.
/// </summary>
internal sealed class CsvRecordReader(string text, char delimiter)
{
    private readonly StringBuilder _cell = new();
    private int _position;
    private int _line = 1;

    /// <summary>The 1-based line the last record read starts on.</summary>
    public int RecordLine { get; private set; }

    /// <summary>How many cells the last record had (counting those past the limit).</summary>
    public int CellCount { get; private set; }

    /// <summary>
    /// Reads the next non-blank record into <paramref name="cells"/> (cleared first), keeping at most
    /// <paramref name="maxCells"/>; with <paramref name="stopOverLimit"/> it returns as soon as a cell past the limit starts,
    /// with <see cref="CellCount"/> one more than the limit. False at the end of the text.
    /// </summary>
    public bool Next(List<string> cells, int maxCells, bool stopOverLimit)
    {
        while (_position < text.Length)
        {
            cells.Clear();
            CellCount = 0;
            RecordLine = _line;
            if (ReadRecord(cells, maxCells, stopOverLimit) && !(CellCount == 1 && cells.Count == 1 && cells[0].Length == 0))
            {
                return true;
            }

            if (stopOverLimit && CellCount > maxCells)
            {
                return true;
            }
        }

        return false;
    }

    // Reads one physical record; false only when stopped over the limit.
    private bool ReadRecord(List<string> cells, int maxCells, bool stopOverLimit)
    {
        bool inQuotes = false;
        bool wasQuoted = false;
        bool cellStarted = false;
        _cell.Clear();

        bool EndCell()
        {
            CellCount++;
            if (cells.Count < maxCells)
            {
                cells.Add(wasQuoted ? _cell.ToString() : _cell.ToString().Trim());
            }

            _cell.Clear();
            wasQuoted = false;
            cellStarted = false;
            return !(stopOverLimit && CellCount >= maxCells);
        }

        while (_position < text.Length)
        {
            char c = text[_position++];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (_position < text.Length && text[_position] == '"')
                    {
                        _cell.Append('"');
                        _position++;
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        _line++;
                    }

                    _cell.Append(c);
                }

                continue;
            }

            if (c == '"' && !wasQuoted && IsBlank(_cell))
            {
                inQuotes = true;
                wasQuoted = true;
                cellStarted = true;
                _cell.Clear();
            }
            else if (c == delimiter)
            {
                if (!EndCell())
                {
                    // The limit is reached and another cell follows: over the limit.
                    CellCount++;
                    return false;
                }
            }
            else if (c == '\r' || c == '\n')
            {
                if (c == '\r' && _position < text.Length && text[_position] == '\n')
                {
                    _position++;
                }

                _line++;
                EndCell();
                return true;
            }
            else if (!(wasQuoted && char.IsWhiteSpace(c)))
            {
                // Whitespace between a closing quote and the delimiter is padding, not content.
                _cell.Append(c);
                cellStarted = true;
            }
        }

        if (inQuotes)
        {
            throw new DatasetFormatException($"Line {RecordLine} has a quoted cell that is never closed.");
        }

        if (cellStarted || _cell.Length > 0 || cells.Count > 0 || CellCount > 0)
        {
            EndCell();
        }
        else if (CellCount == 0)
        {
            // Only whitespace or nothing after the last line break: a blank record.
            CellCount = 1;
            cells.Add(string.Empty);
        }

        return true;
    }

    private static bool IsBlank(StringBuilder cell)
    {
        for (int i = 0; i < cell.Length; i++)
        {
            if (!char.IsWhiteSpace(cell[i]))
            {
                return false;
            }
        }

        return true;
    }
}
