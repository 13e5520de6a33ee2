using System.Text;

namespace FTLPortal.Learning.Data;

/// <summary>One CSV record with the 1-based line it starts on. Cells are trimmed; quoted cells keep inner whitespace.</summary>
internal sealed record CsvRecord(int Line, List<string> Cells)
{
    /// <summary>RFC 4180-ish: double-quoted fields with "" as an escaped quote; CRLF or LF; blank lines skipped.</summary>
    public static List<CsvRecord> Parse(string text, char delimiter)
    {
        var records = new List<CsvRecord>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool inQuotes = false;
        bool wasQuoted = false;
        int line = 1;
        int recordLine = 1;

        void EndCell()
        {
            cells.Add(wasQuoted ? cell.ToString() : cell.ToString().Trim());
            cell.Clear();
            wasQuoted = false;
        }

        void EndRecord()
        {
            EndCell();
            bool blank = cells.Count == 1 && cells[0].Length == 0;
            if (!blank)
            {
                records.Add(new CsvRecord(recordLine, cells));
            }

            cells = [];
        }

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        cell.Append('"');
                        i++;
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
                        line++;
                    }

                    cell.Append(c);
                }

                continue;
            }

            if (c == '"' && cell.ToString().Trim().Length == 0 && !wasQuoted)
            {
                inQuotes = true;
                wasQuoted = true;
                cell.Clear();
            }
            else if (c == delimiter)
            {
                EndCell();
            }
            else if (c == '\r' || c == '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                EndRecord();
                line++;
                recordLine = line;
            }
            else if (!(wasQuoted && char.IsWhiteSpace(c)))
            {
                // Whitespace between a closing quote and the delimiter is padding, not content.
                cell.Append(c);
            }
        }

        if (inQuotes)
        {
            throw new DatasetFormatException($"Line {recordLine} has a quoted cell that is never closed.");
        }

        if (cell.Length > 0 || cells.Count > 0 || wasQuoted)
        {
            EndRecord();
        }

        return records;
    }
}
