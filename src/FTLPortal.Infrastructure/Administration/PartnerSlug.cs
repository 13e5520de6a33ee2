using System.Text;

namespace FTLPortal.Infrastructure.Administration;

/// <summary>Folder- and URL-safe short names for partners, derived from the display name.</summary>
public static class PartnerSlug
{
    public const int MaxLength = 40;

    /// <summary>Lower-case letters and digits joined by single dashes; "partner" when nothing usable is left.</summary>
    public static string From(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var slug = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(char.ToLowerInvariant(c));
            }
            else if (char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark && slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var text = slug.ToString().Trim('-');
        if (text.Length > MaxLength)
        {
            text = text[..MaxLength].TrimEnd('-');
        }

        return text.Length == 0 ? "partner" : text;
    }

    /// <summary>The slug of <paramref name="name"/>, with -2, -3, … appended until <paramref name="isTaken"/> says no.</summary>
    public static string Unique(string name, Func<string, bool> isTaken)
    {
        ArgumentNullException.ThrowIfNull(isTaken);
        var slug = From(name);
        var candidate = slug;
        for (var n = 2; isTaken(candidate); n++)
        {
            candidate = $"{slug}-{n}";
        }

        return candidate;
    }
}
