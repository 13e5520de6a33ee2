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
        ValidateLimits(options);
        string text = ReadLimited(csv, options.MaxBytes);

        // Two passes over the text, one record at a time: the first checks the shape and finds the categorical columns, the
        // second fills the feature matrix. No pass keeps more than one row's cells, so memory is the text plus the matrix.
        var cells = new List<string>();
        var reader = new CsvRecordReader(text, options.Delimiter);
        string[] header = ReadHeaderRecord(reader, cells, options);
        int labelIndex = Array.IndexOf(header, labelColumn);
        if (labelIndex < 0 && header.Length == 1 && DelimiterHint(header[0], options.Delimiter) is { } hint)
        {
            throw new DatasetFormatException($"No column named '{labelColumn}': {hint}");
        }

        if (labelIndex < 0)
        {
            throw new DatasetFormatException(
                $"No column named '{labelColumn}' in the header (columns: {Abbreviate(header)}).");
        }

        if (header.Length < 2)
        {
            throw new DatasetFormatException($"The file has no feature columns besides '{labelColumn}'.");
        }

        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (string column in options.OneHotColumns ?? [])
        {
            if (string.Equals(column, labelColumn, StringComparison.Ordinal))
            {
                throw new DatasetFormatException($"'{column}' is the label column; it cannot also be one-hot encoded.");
            }

            if (Array.IndexOf(header, column) < 0)
            {
                throw new DatasetFormatException($"No column named '{column}' to one-hot encode (columns: {Abbreviate(header)}).");
            }

            named.Add(column);
        }

        ColumnScan scan = ScanRows(reader, cells, header, labelIndex, options);
        if (scan.Rows == 0)
        {
            throw new DatasetFormatException("The file has a header but no data rows.");
        }

        string[]?[] categories = FindCategories(scan, header, labelIndex, named, options);
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
            }
            else
            {
                featureNames.Add(header[c]);
            }
        }

        int featureCount = featureNames.Count;
        if (featureCount > options.MaxColumns)
        {
            throw new DatasetFormatException(
                $"One-hot encoding gives {featureCount:N0} features, more than the {options.MaxColumns:N0} allowed: encode fewer columns, "
                + "or group rare values.");
        }

        if ((long)scan.Rows * featureCount > options.MaxValues)
        {
            throw new DatasetFormatException(
                $"{scan.Rows:N0} rows × {featureCount:N0} features are {(long)scan.Rows * featureCount:N0} values, more than the "
                + $"{options.MaxValues:N0} allowed: upload fewer rows or one-hot encode fewer columns.");
        }

        var lookups = new Dictionary<string, int>?[header.Length];
        for (int c = 0; c < header.Length; c++)
        {
            if (categories[c] is { } values)
            {
                lookups[c] = values.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i, StringComparer.Ordinal);
            }
        }

        int rows = scan.Rows;
        var features = new float[rows * featureCount];
        var rawLabels = new int[rows];
        var labelIds = new Dictionary<string, int>(StringComparer.Ordinal);
        reader = new CsvRecordReader(text, options.Delimiter);
        reader.Next(cells, header.Length, stopOverLimit: false);
        for (int r = 0; r < rows; r++)
        {
            reader.Next(cells, header.Length, stopOverLimit: false);
            int line = reader.RecordLine;
            int f = 0;
            for (int c = 0; c < header.Length; c++)
            {
                string cell = cells[c];
                if (c == labelIndex)
                {
                    if (cell.Length == 0)
                    {
                        throw new DatasetFormatException($"Line {line}, column '{header[c]}': the label is empty.");
                    }

                    if (!labelIds.TryGetValue(cell, out int id))
                    {
                        if (labelIds.Count == options.MaxClasses)
                        {
                            throw new DatasetFormatException(
                                $"Line {line}, column '{header[c]}': the label column has more than {options.MaxClasses:N0} distinct "
                                + "classes; is it the right column?");
                        }

                        labelIds[cell] = id = labelIds.Count;
                    }

                    rawLabels[r] = id;
                    continue;
                }

                if (lookups[c] is { } lookup)
                {
                    features[(r * featureCount) + f + lookup[cell]] = 1f;
                    f += lookup.Count;
                    continue;
                }

                float value = float.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture);
                if (!float.IsFinite(value))
                {
                    throw new DatasetFormatException(
                        $"Line {line}, column '{header[c]}': '{cell}' is not a finite number (NaN and infinity are not allowed).");
                }

                features[(r * featureCount) + f++] = value;
            }
        }

        string[] classNames = labelIds.Keys.Order(StringComparer.Ordinal).ToArray();
        if (classNames.Length < 2)
        {
            throw new DatasetFormatException(
                $"The label column '{labelColumn}' has only one class ('{classNames[0]}'); training needs at least two classes.");
        }

        var remap = new int[classNames.Length];
        for (int i = 0; i < classNames.Length; i++)
        {
            remap[labelIds[classNames[i]]] = i;
        }

        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            labels[r] = remap[rawLabels[r]];
        }

        return new TabularDataset(featureNames, classNames, features, labels);
    }

    private static void ValidateLimits(CsvReadOptions options)
    {
        if (options.MaxBytes <= 0 || options.MaxColumns < 2 || options.MaxRows <= 0 || options.MaxClasses < 2 || options.MaxValues <= 0
            || options.MaxCategories <= 0)
        {
            throw new ArgumentException("The CSV limits must be positive (at least two columns and two classes).", nameof(options));
        }
    }

    private static string[] ReadHeaderRecord(CsvRecordReader reader, List<string> cells, CsvReadOptions options)
    {
        if (!reader.Next(cells, options.MaxColumns, stopOverLimit: true))
        {
            throw new DatasetFormatException("The file is empty.");
        }

        if (reader.CellCount > options.MaxColumns)
        {
            throw TooManyColumns(options.MaxColumns);
        }

        return ValidateHeader(cells);
    }

    internal static DatasetFormatException TooManyColumns(int maxColumns) =>
        new($"The header has more than {maxColumns:N0} columns, the most allowed; nothing past the header was read. "
            + "Keep the columns the model needs, or ask the portal's operator to raise the limit.");

    // The first pass: row count and shape, and per column what decides whether it is categorical.
    private static ColumnScan ScanRows(CsvRecordReader reader, List<string> cells, string[] header, int labelIndex, CsvReadOptions options)
    {
        int columns = header.Length;
        var scan = new ColumnScan(columns);
        while (reader.Next(cells, columns, stopOverLimit: false))
        {
            if (reader.CellCount != columns)
            {
                throw new DatasetFormatException($"Line {reader.RecordLine} has {reader.CellCount} cells; the header has {columns}.");
            }

            if (scan.Rows == options.MaxRows)
            {
                throw new DatasetFormatException(
                    $"Line {reader.RecordLine}: the file has more than {options.MaxRows:N0} data rows, the most allowed.");
            }

            scan.Rows++;
            for (int c = 0; c < columns; c++)
            {
                if (c == labelIndex)
                {
                    continue;
                }

                string cell = cells[c];
                if (scan.FirstText[c] is null && !float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    scan.FirstText[c] = (reader.RecordLine, cell);
                }

                scan.HasEmpty[c] |= cell.Length == 0;
                if (scan.Distinct[c] is { } distinct && distinct.Add(cell) && distinct.Count > options.MaxCategories)
                {
                    // More values than any category may have: stop collecting (the column is numeric or refused).
                    scan.Distinct[c] = null;
                }
            }
        }

        return scan;
    }

    // For each column, its sorted distinct values when it is categorical, else null; refuses what cannot be encoded.
    private static string[]?[] FindCategories(ColumnScan scan, string[] header, int labelIndex, HashSet<string> named, CsvReadOptions options)
    {
        var categories = new string[]?[header.Length];
        for (int c = 0; c < header.Length; c++)
        {
            if (c == labelIndex)
            {
                continue;
            }

            bool isNamed = named.Contains(header[c]);
            if (scan.FirstText[c] is not { } firstText)
            {
                if (!isNamed)
                {
                    continue;
                }
            }
            else if (!isNamed)
            {
                if (firstText.Cell.Length == 0)
                {
                    throw new DatasetFormatException($"Line {firstText.Line}, column '{header[c]}': the cell is empty.");
                }

                if (!options.OneHotEncodeCategoricals)
                {
                    throw new DatasetFormatException(
                        $"Line {firstText.Line}, column '{header[c]}': '{firstText.Cell}' is not a number, so the column is categorical; "
                        + "turn on one-hot encoding of categorical columns to use it, or remove the column.");
                }
            }

            if (scan.HasEmpty[c])
            {
                throw new DatasetFormatException($"Column '{header[c]}' is categorical and has empty cells; give them a value such as 'unknown'.");
            }

            if (scan.Distinct[c] is not { } values)
            {
                throw new DatasetFormatException(
                    $"Column '{header[c]}' is categorical with more than {options.MaxCategories} distinct values, the most allowed: "
                    + "it looks like an identifier or free text, not a category. Remove it or raise the limit.");
            }

            categories[c] = values.Order(StringComparer.Ordinal).ToArray();
        }

        return categories;
    }

    /// <summary>A hint when a one-column header holds another common delimiter: the file was saved with that one.</summary>
    internal static string? DelimiterHint(string onlyColumn, char delimiter)
    {
        (char Symbol, string Name)[] others = [(';', "semicolons"), ('\t', "tabs"), ('|', "vertical bars")];
        foreach ((char symbol, string name) in others)
        {
            if (symbol != delimiter && onlyColumn.Contains(symbol, StringComparison.Ordinal))
            {
                return $"the header row is separated by {name}, not commas. Save the file as comma-separated CSV (in a spreadsheet: "
                    + "CSV UTF-8, comma delimited) and upload it again.";
            }
        }

        return null;
    }

    private static string Abbreviate(string[] header) =>
        header.Length <= 20 ? string.Join(", ", header) : $"{string.Join(", ", header.Take(20))} and {header.Length - 20:N0} more";

    private sealed class ColumnScan
    {
        public ColumnScan(int columns)
        {
            FirstText = new (int Line, string Cell)?[columns];
            HasEmpty = new bool[columns];
            Distinct = new HashSet<string>?[columns];
            for (int c = 0; c < columns; c++)
            {
                Distinct[c] = new HashSet<string>(StringComparer.Ordinal);
            }
        }

        public int Rows { get; set; }

        /// <summary>Per column, the first cell that is not a number, with its line.</summary>
        public (int Line, string Cell)?[] FirstText { get; }

        public bool[] HasEmpty { get; }

        /// <summary>Per column, its distinct cells while there are at most the categories allowed; null past that.</summary>
        public HashSet<string>?[] Distinct { get; }
    }

    /// <summary>The column names of the header row (for choosing the label column in the UI).</summary>
    public static IReadOnlyList<string> ReadHeader(Stream csv, CsvReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(csv);
        options ??= new CsvReadOptions();
        using var reader = new StreamReader(csv, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var firstRecord = new StringBuilder();
        bool inQuotes = false;
        int columns = 1;
        int next;
        while ((next = reader.Read()) >= 0)
        {
            char c = (char)next;
            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (c == options.Delimiter && !inQuotes && ++columns > options.MaxColumns)
            {
                throw TooManyColumns(options.MaxColumns);
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

        return ReadHeaderRecord(new CsvRecordReader(firstRecord.ToString(), options.Delimiter), [], options);
    }

    internal static string[] ValidateHeader(CsvRecord header) => ValidateHeader(header.Cells);

    internal static string[] ValidateHeader(List<string> cells)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < cells.Count; i++)
        {
            string name = cells[i];
            if (name.Length == 0)
            {
                throw new DatasetFormatException($"Column {i + 1} of the header has no name.");
            }

            if (!seen.Add(name))
            {
                throw new DatasetFormatException($"The header names column '{name}' more than once.");
            }
        }

        return [.. cells];
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
