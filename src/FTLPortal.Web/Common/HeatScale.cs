using System.Globalization;

namespace FTLPortal.Web.Common;

/// <summary>
/// The heatmap's colour scale: viridis, perceptually uniform and readable with the common colour-vision
/// deficiencies (no red/green pair). Each cell's text is black or white, whichever contrasts more.
/// </summary>
public static class HeatScale
{
    // Viridis at 0, 0.25, 0.5, 0.75 and 1.
    private static readonly (double R, double G, double B)[] Stops =
    [
        (0x44, 0x01, 0x54), (0x3b, 0x52, 0x8b), (0x21, 0x91, 0x8c), (0x5e, 0xc9, 0x62), (0xfd, 0xe7, 0x25),
    ];

    /// <summary>Background and text colour for <paramref name="value"/> on a 0..<paramref name="max"/> scale; missing values are grey.</summary>
    public static string StyleFor(double? value, double max)
    {
        if (value is not { } v || max <= 0 || !double.IsFinite(v))
        {
            return "background:#e0e0e0;color:#000000";
        }

        var (r, g, b) = ColourAt(Math.Clamp(v / max, 0, 1));
        var text = ContrastWithBlack(r, g, b) >= ContrastWithWhite(r, g, b) ? "#000000" : "#ffffff";
        return string.Create(CultureInfo.InvariantCulture, $"background:#{(int)r:x2}{(int)g:x2}{(int)b:x2};color:{text}");
    }

    /// <summary>A CSS linear gradient of the whole scale, for the legend.</summary>
    public static string Gradient() =>
        "background:linear-gradient(to right," + string.Join(",", Stops.Select(s => $"#{(int)s.R:x2}{(int)s.G:x2}{(int)s.B:x2}")) + ")";

    private static (double R, double G, double B) ColourAt(double t)
    {
        var position = t * (Stops.Length - 1);
        var i = Math.Min((int)position, Stops.Length - 2);
        var f = position - i;
        var (a, b) = (Stops[i], Stops[i + 1]);
        return (Math.Round(a.R + ((b.R - a.R) * f)), Math.Round(a.G + ((b.G - a.G) * f)), Math.Round(a.B + ((b.B - a.B) * f)));
    }

    private static double Luminance(double r, double g, double b)
    {
        static double Channel(double c)
        {
            c /= 255;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        return (0.2126 * Channel(r)) + (0.7152 * Channel(g)) + (0.0722 * Channel(b));
    }

    private static double ContrastWithBlack(double r, double g, double b) => (Luminance(r, g, b) + 0.05) / 0.05;

    private static double ContrastWithWhite(double r, double g, double b) => 1.05 / (Luminance(r, g, b) + 0.05);
}
