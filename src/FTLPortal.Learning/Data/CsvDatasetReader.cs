using System.Globalization;
using System.Text;

namespace FTLPortal.Learning.Data;

/// <summary>
/// Reads a labelled CSV: a header row, numeric feature columns (invariant culture) and one label column of class names.
/// Every problem is a <see cref="DatasetFormatException"/> whose message names the line and column.
/// </summary>
public static class CsvDatasetReader
{
    public static TabularDataset Read(Stream csv, string labelColumn, CsvReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumn);
        options ??= new CsvReadOptions();
        string text = ReadLimited(csv, options.MaxBytes);
        List<CsvRecord> records = CsvRecord.Parse(text, options.Delimiter);
        if (records.Count == 0)
        {
            throw new DatasetFormatException("The file is empty.");
        }

        string[] header = ValidateHeader(records[0]);
        int labelIndex = -1;
        for (int i = 0; i < header.Length; i++)
        {
            if (string.Equals(header[i], labelColumn, StringComparison.Ordinal))
            {
                labelIndex = i;
            }
        }

        if (labelIndex < 0)
        {
            throw new DatasetFormatException(
                $"No column named '{labelColumn}' in the header (columns: {string.Join(", ", header)}).");
        }

        if (header.Length < 2)
        {
            throw new DatasetFormatException($"The file has no feature columns besides '{labelColumn}'.");
        }

        if (records.Count == 1)
        {
            throw new DatasetFormatException("The file has a header but no data rows.");
        }

        int rows = records.Count - 1;
        for (int r = 0; r < rows; r++)
        {
            CsvRecord record = records[r + 1];
            if (record.Cells.Count != header.Length)
            {
                throw new DatasetFormatException(
                    $"Line {record.Line} has {record.Cells.Count} cells; the header has {header.Length}.");
            }
        }

        // Categorical columns: those with a cell that is not a number. Each becomes one feature per distinct value.
        string[]?[] categories = FindCategories(records, header, labelIndex, options);
        int featureCount = 0;
        var featureNames = new List<string>();
        for (int c = 0; c < header.Length; c++)
        {
            if (c == labelIndex)
            {
                continue;
            }

            if (categories[c] is { } values)
            {
                featureNames.AddRange(values.Select(v => $"{header[c]}={v}"));
                featureCount += values.Length;
            }
            else
            {
                featureNames.Add(header[c]);
                featureCount++;
            }
        }

        var features = new float[rows * featureCount];
        var labelNames = new string[rows];
        for (int r = 0; r < rows; r++)
        {
            CsvRecord record = records[r + 1];
            int f = 0;
            for (int c = 0; c < header.Length; c++)
            {
                string cell = record.Cells[c];
                if (c == labelIndex)
                {
                    if (cell.Length == 0)
                    {
                        throw new DatasetFormatException($"Line {record.Line}, column '{header[c]}': the label is empty.");
                    }

                    labelNames[r] = cell;
                    continue;
                }

                if (categories[c] is { } values)
                {
                    features[(r * featureCount) + f + Array.BinarySearch(values, cell, StringComparer.Ordinal)] = 1f;
                    f += values.Length;
                    continue;
                }

                float value = float.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture);
                if (!float.IsFinite(value))
                {
                    throw new DatasetFormatException(
                        $"Line {record.Line}, column '{header[c]}': '{cell}' is not a finite number (NaN and infinity are not allowed).");
                }

                features[(r * featureCount) + f++] = value;
            }
        }

        string[] classNames = labelNames.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (classNames.Length < 2)
        {
            throw new DatasetFormatException(
                $"The label column '{labelColumn}' has only one class ('{classNames[0]}'); training needs at least two classes.");
        }

        var classIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < classNames.Length; i++)
        {
            classIndex[classNames[i]] = i;
        }

        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            labels[r] = classIndex[labelNames[r]];
        }

        return new TabularDataset(featureNames, classNames, features, labels);
    }

    // For each column, its sorted distinct values when it is categorical, else null; refuses what cannot be encoded.
    private static string[]?[] FindCategories(List<CsvRecord> records, string[] header, int labelIndex, CsvReadOptions options)
    {
        var categories = new string[]?[header.Length];
        for (int c = 0; c < header.Length; c++)
        {
            if (c == labelIndex)
            {
                continue;
            }

            CsvRecord? firstText = null;
            for (int r = 1; r < records.Count && firstText is null; r++)
            {
                if (!float.TryParse(records[r].Cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    firstText = records[r];
                }
            }

            if (firstText is null)
            {
                continue;
            }

            string cell = firstText.Cells[c];
            if (cell.Length == 0)
            {
                throw new DatasetFormatException($"Line {firstText.Line}, column '{header[c]}': the cell is empty.");
            }

            if (!options.OneHotEncodeCategoricals)
            {
                throw new DatasetFormatException(
                    $"Line {firstText.Line}, column '{header[c]}': '{cell}' is not a number, so the column is categorical; "
                    + "turn on one-hot encoding of categorical columns to use it, or remove the column.");
            }

            string[] values = records.Skip(1).Select(record => record.Cells[c]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            if (values.Contains(string.Empty))
            {
                throw new DatasetFormatException($"Column '{header[c]}' is categorical and has empty cells; give them a value such as 'unknown'.");
            }

            if (values.Length > options.MaxCategories)
            {
                throw new DatasetFormatException(
                    $"Column '{header[c]}' is categorical with {values.Length} distinct values, more than the {options.MaxCategories} allowed: "
                    + "it looks like an identifier or free text, not a category. Remove it or raise the limit.");
            }

            categories[c] = values;
        }

        return categories;
    }

    /// <summary>The column names of the header row (for choosing the label column in the UI).</summary>
    public static IReadOnlyList<string> ReadHeader(Stream csv, CsvReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(csv);
        options ??= new CsvReadOptions();
        using var reader = new StreamReader(csv, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var firstRecord = new StringBuilder();
        bool inQuotes = false;
        int next;
        while ((next = reader.Read()) >= 0)
        {
            char c = (char)next;
            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if ((c == '\n' || c == '\r') && !inQuotes)
            {
                if (firstRecord.ToString().Trim().Length > 0)
                {
                    break;
                }

                continue;
            }

            firstRecord.Append(c);
            if (firstRecord.Length > options.MaxBytes)
            {
                throw new DatasetFormatException($"The header is longer than the {FormatSize(options.MaxBytes)} limit.");
            }
        }

        List<CsvRecord> records = CsvRecord.Parse(firstRecord.ToString(), options.Delimiter);
        if (records.Count == 0)
        {
            throw new DatasetFormatException("The file is empty.");
        }

        return ValidateHeader(records[0]);
    }

    internal static string[] ValidateHeader(CsvRecord header)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < header.Cells.Count; i++)
        {
            string name = header.Cells[i];
            if (name.Length == 0)
            {
                throw new DatasetFormatException($"Column {i + 1} of the header has no name.");
            }

            if (!seen.Add(name))
            {
                throw new DatasetFormatException($"The header names column '{name}' more than once.");
            }
        }

        return [.. header.Cells];
    }

    internal static string ReadLimited(Stream csv, long maxBytes)
    {
        // Count bytes as they arrive and stop one byte past the limit: an oversized upload is never read to the end.
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = csv.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new DatasetFormatException($"The file is larger than the {FormatSize(maxBytes)} limit.");
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            throw new DatasetFormatException("The file is empty.");
        }

        try
        {
            var strictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
            ReadOnlySpan<byte> bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                bytes = bytes[3..];
            }

            return strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new DatasetFormatException("The file is not UTF-8 text.", ex);
        }
    }

    internal static string FormatSize(long bytes) =>
        bytes % (1024 * 1024) == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024)} MB")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes} byte");
}
