using System.Globalization;
using System.Text;

namespace FTLPortal.Learning.Data;

public static class CsvDatasetWriter
{
    /// <summary>Writes a header and one line per row; floats use the round-trip format so reading back is exact.</summary>
    public static void Write(TabularDataset dataset, Stream destination, string labelColumn = "label")
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(destination);
        using var writer = new StreamWriter(destination, new UTF8Encoding(false), bufferSize: 65536, leaveOpen: true) { NewLine = "\n" };
        writer.WriteLine(string.Join(',', dataset.FeatureNames.Append(labelColumn).Select(Quote)));
        var line = new StringBuilder();
        for (int r = 0; r < dataset.Rows; r++)
        {
            line.Clear();
            foreach (float value in dataset.Row(r))
            {
                line.Append(value.ToString("R", CultureInfo.InvariantCulture)).Append(',');
            }

            line.Append(Quote(dataset.ClassNames[dataset.Labels[r]]));
            writer.WriteLine(line);
        }
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || value.Trim().Length != value.Length
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
}
