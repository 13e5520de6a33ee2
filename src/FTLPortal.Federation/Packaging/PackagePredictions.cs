using System.Globalization;
using System.Text;

namespace FTLPortal.Federation.Packaging;

/// <summary>The predicted class of each row and every class's probability (rows × classes, row-major).</summary>
public sealed record PackagePredictions(IReadOnlyList<string> ClassNames, IReadOnlyList<int> Predicted, IReadOnlyList<float> Probabilities)
{
    /// <summary>CSV: <c>row,prediction,p_{class}…</c>; probabilities in the round-trip format, so they read back exactly.</summary>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("row,prediction");
        foreach (string name in ClassNames)
        {
            writer.Write(",p_" + name);
        }

        writer.Write('\n');
        var line = new StringBuilder();
        int classes = ClassNames.Count;
        for (int r = 0; r < Predicted.Count; r++)
        {
            line.Clear().Append(r + 1).Append(',').Append(ClassNames[Predicted[r]]);
            for (int c = 0; c < classes; c++)
            {
                line.Append(',').Append(Probabilities[(r * classes) + c].ToString("R", CultureInfo.InvariantCulture));
            }

            writer.Write(line.Append('\n'));
        }
    }
}
