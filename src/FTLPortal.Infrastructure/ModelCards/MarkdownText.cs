using System.Text;

namespace FTLPortal.Infrastructure.ModelCards;

/// <summary>
/// Makes text from users (domain, partner, job, model, layer and class names) literal inside the card's Markdown: line
/// breaks become spaces (so a name cannot start a heading, a list, a table row or end the front matter; names are only
/// ever written mid-line) and every character with an inline meaning is backslash-escaped, so no emphasis, link, image,
/// code span, table pipe, entity or HTML tag can come out of a name. Hyphens, dots and colons stay readable: mid-line
/// they mean nothing.
/// </summary>
internal static class MarkdownText
{
    /// <summary>ASCII punctuation with a meaning inside a line (CommonMark and pipe tables); all may be backslash-escaped.</summary>
    private const string InlineSyntax = "\\`*_{}[]()<>#|~!&";

    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var sb = new StringBuilder(text.Length + 8);
        foreach (var ch in text)
        {
            if (char.IsControl(ch) || ch is '\u2028' or '\u2029' or '\u0085')
            {
                sb.Append(' ');
            }
            else if (InlineSyntax.Contains(ch))
            {
                sb.Append('\\').Append(ch);
            }
            else
            {
                sb.Append(ch);
            }
        }

        return sb.ToString();
    }
}
