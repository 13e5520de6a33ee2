using System.Globalization;

namespace FTLPortal.Learning.Data;

/// <summary>
/// Reads the model inputs of a CSV for prediction: the columns named by a model's feature names, by header name in any
/// order (other columns, such as a label, are ignored). A one-hot feature <c>column=value</c> is 1 where the cell of
/// <c>column</c> is <c>value</c>; a value the model never saw sets none of its features, as in training.
/// </summary>
public static class FeatureCsvReader
{
    /// <summary>Rows × features, in the order of <paramref name="featureNames"/>.</summary>
    public static (float[] Features, int Rows) Read(
        Stream csv, IReadOnlyList<string> featureNames, IReadOnlyDictionary<string, IReadOnlyList<string>> oneHotColumns, CsvReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(oneHotColumns);
        options ??= new CsvReadOptions();
        string text = CsvDatasetReader.ReadLimited(csv, options.MaxBytes);
        List<CsvRecord> records = CsvRecord.Parse(text, options.Delimiter);
        if (records.Count < 2)
        {
            throw new DatasetFormatException("The file needs a header and at least one data row.");
        }

        string[] header = CsvDatasetReader.ValidateHeader(records[0]);
        var column = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < header.Length; i++)
        {
            column[header[i]] = i;
        }

        // Each feature: (column index, the one-hot value or null for a number).
        var sources = new (int Column, string? Value)[featureNames.Count];
        for (int f = 0; f < featureNames.Count; f++)
        {
            string name = featureNames[f];
            if (column.TryGetValue(name, out int index))
            {
                sources[f] = (index, null);
                continue;
            }

            int equals = name.IndexOf('=', StringComparison.Ordinal);
            string source = equals > 0 ? name[..equals] : name;
            if (equals > 0 && oneHotColumns.ContainsKey(source) && column.TryGetValue(source, out index))
            {
                sources[f] = (index, name[(equals + 1)..]);
                continue;
            }

            throw new DatasetFormatException($"The file has no column '{source}', which the model needs (columns: {string.Join(", ", header)}).");
        }

        int rows = records.Count - 1;
        var features = new float[rows * featureNames.Count];
        for (int r = 0; r < rows; r++)
        {
            CsvRecord record = records[r + 1];
            if (record.Cells.Count != header.Length)
            {
                throw new DatasetFormatException($"Line {record.Line} has {record.Cells.Count} cells; the header has {header.Length}.");
            }

            for (int f = 0; f < sources.Length; f++)
            {
                (int c, string? value) = sources[f];
                string cell = record.Cells[c];
                if (value is not null)
                {
                    features[(r * sources.Length) + f] = string.Equals(cell, value, StringComparison.Ordinal) ? 1f : 0f;
                }
                else if (float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out float number) && float.IsFinite(number))
                {
                    features[(r * sources.Length) + f] = number;
                }
                else
                {
                    throw new DatasetFormatException($"Line {record.Line}, column '{header[c]}': '{cell}' is not a finite number.");
                }
            }
        }

        return (features, rows);
    }
}
