using System.Globalization;
using System.Text.RegularExpressions;
using FTLPortal.Core.Jobs;

namespace FTLPortal.Web.Common;

/// <summary>How the pages write numbers, names and times: one place, the same everywhere.</summary>
public static partial class PortalFormat
{
    private static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>A share 0..1 as a percentage with at most <paramref name="decimals"/> decimals ("87.5 %" never "87.49999 %").</summary>
    public static string Percent(double share, int decimals = 1) =>
        double.IsFinite(share) ? (Math.Round(share * 100, decimals, MidpointRounding.AwayFromZero)).ToString("#,##0." + new string('#', decimals), Culture) + " %" : "n/a";

    /// <summary>A count with thousands separators.</summary>
    public static string Count(long value) => value.ToString("N0", Culture);

    /// <summary>A measured value with a fixed number of decimals and thousands separators.</summary>
    public static string Number(double value, int decimals = 3) =>
        double.IsFinite(value) ? value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), Culture) : "n/a";

    public static string Kind(JobKind kind) => kind switch
    {
        JobKind.FineTuning => "Fine-tuning",
        JobKind.Pretraining => "Pre-training",
        JobKind.Similarity => "Similarity",
        _ => kind.ToString(),
    };

    /// <summary>A time in <paramref name="zone"/> with the zone written out.</summary>
    public static string Time(DateTimeOffset value, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(value, zone);
        var name = zone == TimeZoneInfo.Utc ? "UTC" : zone.Id;
        return local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + name;
    }

    public static string Bytes(long bytes) =>
        bytes >= 1024 * 1024 ? (bytes / (1024.0 * 1024)).ToString("0.#", Culture) + " MB" : (bytes / 1024.0).ToString("0.#", Culture) + " KB";

    /// <summary>
    /// An error as a partner may read it: exception type names ("System.InvalidOperationException: "),
    /// GUIDs and stack frames removed. Ops read the full text separately.
    /// </summary>
    public static string PlainError(string error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var firstLine = error.Split('\n', 2)[0];
        var text = ExceptionTypeName().Replace(firstLine, "");
        text = Guid().Replace(text, "(id)");
        text = text.Trim();
        return text.Length == 0 ? "The job failed. Ops have the technical detail." : text;
    }

    [GeneratedRegex(@"\b(?:[A-Za-z_][A-Za-z0-9_]*\.)*[A-Za-z0-9_]*Exception\b:?\s*")]
    private static partial Regex ExceptionTypeName();

    [GeneratedRegex(@"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")]
    private static partial Regex Guid();
}
