using System.Globalization;
using System.Text;

namespace FTLPortal.Core.Naming;

/// <summary>
/// The one rule for names people give things in the portal (partners, domains, jobs, base models), so that a name cannot
/// pretend to be another: no control or invisible characters (zero-width joiners and spaces, bidirectional overrides), no
/// compatibility forms (a name must be its own NFKC normalization, so full-width 'ｃｏｎｔｏｓｏ' is refused), no mixing of
/// Latin, Greek and Cyrillic letters (Cyrillic 'а' in 'nоrthwind'), single spaces between words. Two valid names that
/// still look alike (all-Cyrillic 'рара' and Latin 'papa', or names differing only in case) have the same
/// <see cref="Skeleton"/>; callers refuse a new name whose skeleton matches an existing one.
/// </summary>
public static class NameRule
{
    public const int DefaultMaxLength = 200;

    /// <summary>
    /// Checks <paramref name="name"/> (trimmed first). <paramref name="what"/> names the thing in the message, e.g. "domain".
    /// </summary>
    public static NameCheck Check(string? name, string what, int maxLength = DefaultMaxLength)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(what);
        string trimmed = (name ?? "").Trim();
        if (trimmed.Length == 0 || trimmed.Length > maxLength)
        {
            return NameCheck.Invalid($"Give the {what} a name of 1 to {maxLength} characters.");
        }

        int position = 0;
        bool afterSpace = false;
        foreach (Rune rune in trimmed.EnumerateRunes())
        {
            position++;
            UnicodeCategory category = Rune.GetUnicodeCategory(rune);
            // An unpaired surrogate arrives as U+FFFD, which is refused with the rest.
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator
                || rune == Rune.ReplacementChar)
            {
                return NameCheck.Invalid(
                    $"The {what} name contains an invisible or control character (U+{rune.Value:X4}) at position {position}; type the name again without it.");
            }

            bool isSpace = Rune.IsWhiteSpace(rune);
            if (isSpace && (rune.Value != ' ' || afterSpace))
            {
                return NameCheck.Invalid($"The {what} name may separate words only with single ordinary spaces.");
            }

            afterSpace = isSpace;
        }

        if (!trimmed.IsNormalized(NormalizationForm.FormKC))
        {
            return NameCheck.Invalid(
                $"The {what} name uses compatibility characters (such as full-width letters or ligatures); type it as '{trimmed.Normalize(NormalizationForm.FormKC)}'.");
        }

        Script scripts = Script.None;
        foreach (char c in trimmed)
        {
            if (char.IsLetter(c))
            {
                scripts |= ScriptOf(c);
            }
        }

        if ((scripts & ~Script.Other) is not (Script.None or Script.Latin or Script.Greek or Script.Cyrillic))
        {
            return NameCheck.Invalid(
                $"The {what} name mixes letters of different alphabets (Latin, Greek, Cyrillic), which can make it look like another name; write it in one alphabet.");
        }

        return NameCheck.Valid(trimmed);
    }

    /// <summary>
    /// What a name looks like: case-folded, NFKC-normalized, invisible characters dropped, and Greek and Cyrillic letters
    /// that look like Latin ones replaced by them. Two names with the same skeleton are too alike to tell apart.
    /// </summary>
    public static string Skeleton(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string normalized = name.Normalize(NormalizationForm.FormKC);
        var skeleton = new StringBuilder(normalized.Length);
        bool space = false;
        foreach (char raw in normalized)
        {
            UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(raw);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsWhiteSpace(raw))
            {
                space = skeleton.Length > 0;
                continue;
            }

            if (space)
            {
                skeleton.Append(' ');
                space = false;
            }

            char c = char.ToLowerInvariant(raw);
            skeleton.Append(Lookalikes.TryGetValue(c, out char latin) ? latin : c);
        }

        return skeleton.ToString();
    }

    /// <summary>True when the two names would be mistaken for each other (same <see cref="Skeleton"/>).</summary>
    public static bool LookAlike(string first, string second) =>
        string.Equals(Skeleton(first), Skeleton(second), StringComparison.Ordinal);

    // Lower-case Greek and Cyrillic letters drawn like a Latin letter (after case folding).
    private static readonly Dictionary<char, char> Lookalikes = new()
    {
        ['а'] = 'a', ['в'] = 'b', ['е'] = 'e', ['ё'] = 'e', ['к'] = 'k', ['м'] = 'm', ['н'] = 'h', ['о'] = 'o', ['р'] = 'p',
        ['с'] = 'c', ['т'] = 't', ['у'] = 'y', ['х'] = 'x', ['ѕ'] = 's', ['і'] = 'i', ['ї'] = 'i', ['ј'] = 'j', ['һ'] = 'h',
        ['ԁ'] = 'd', ['ԛ'] = 'q', ['ԝ'] = 'w', ['ɡ'] = 'g', ['ı'] = 'i',
        ['α'] = 'a', ['β'] = 'b', ['ε'] = 'e', ['η'] = 'n', ['ι'] = 'i', ['κ'] = 'k', ['ν'] = 'v', ['ο'] = 'o', ['ρ'] = 'p',
        ['τ'] = 't', ['υ'] = 'u', ['χ'] = 'x', ['γ'] = 'y', ['ζ'] = 'z', ['μ'] = 'u',
    };

    private static Script ScriptOf(char c) => c switch
    {
        <= '\u024F' or (>= '\u1E00' and <= '\u1EFF') or (>= '\u2C60' and <= '\u2C7F') or (>= '\uA720' and <= '\uA7FF') => Script.Latin,
        (>= '\u0370' and <= '\u03FF') or (>= '\u1F00' and <= '\u1FFF') => Script.Greek,
        (>= '\u0400' and <= '\u052F') or (>= '\u1C80' and <= '\u1C8F') or (>= '\u2DE0' and <= '\u2DFF') or (>= '\uA640' and <= '\uA69F') => Script.Cyrillic,
        _ => Script.Other,
    };

    [Flags]
    private enum Script
    {
        None = 0,
        Latin = 1,
        Greek = 2,
        Cyrillic = 4,
        Other = 8,
    }
}
