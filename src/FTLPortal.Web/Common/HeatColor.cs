using System.Globalization;

namespace FTLPortal.Web.Common;

/// <summary>Maps a distance to a heatmap cell colour: near is green, far is red.</summary>
public static class HeatColor
{
    public static string For(double? value, double max)
    {
        if (value is not { } v || max <= 0)
        {
            return "background:#eee";
        }

        var t = Math.Clamp(v / max, 0, 1);
        // Hue 130 (green) to 0 (red); lightness stays readable for dark text.
        var hue = (int)Math.Round(130 * (1 - t));
        return string.Create(CultureInfo.InvariantCulture, $"background:hsl({hue},70%,{78 - (int)(18 * t)}%)");
    }
}
