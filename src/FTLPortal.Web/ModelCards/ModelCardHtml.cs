using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace FTLPortal.Web.ModelCards;

/// <summary>
/// Renders the Markdown our model card writer produces (front matter, headings, paragraphs, lists, pipe tables, bold,
/// italics, code) as HTML for the job page. Every piece of text is HTML-encoded before any markup is added, so the
/// card's content can never inject markup.
/// </summary>
public static partial class ModelCardHtml
{
    public static string Render(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var html = new StringBuilder();
        var i = 0;
        if (lines.Length > 0 && lines[0] == "---")
        {
            var end = Array.IndexOf(lines, "---", 1);
            if (end > 0)
            {
                html.Append("<details class=\"ftl-front-matter\"><summary>Metadata (YAML front matter)</summary><pre>")
                    .Append(WebUtility.HtmlEncode(string.Join('\n', lines[1..end])))
                    .Append("</pre></details>");
                i = end + 1;
            }
        }

        while (i < lines.Length)
        {
            var line = lines[i];
            if (string.IsNullOrWhiteSpace(line))
            {
                i++;
            }
            else if (line.StartsWith('#'))
            {
                var level = Math.Min(6, line.TakeWhile(c => c == '#').Count());
                html.Append(System.Globalization.CultureInfo.InvariantCulture, $"<h{level}>{Inline(line[level..].Trim())}</h{level}>");
                i++;
            }
            else if (line.StartsWith('|'))
            {
                i = Table(lines, i, html);
            }
            else if (line.StartsWith("- ", StringComparison.Ordinal))
            {
                html.Append("<ul>");
                for (; i < lines.Length && lines[i].StartsWith("- ", StringComparison.Ordinal); i++)
                {
                    html.Append("<li>").Append(Inline(lines[i][2..])).Append("</li>");
                }

                html.Append("</ul>");
            }
            else
            {
                var paragraph = new List<string>();
                for (; i < lines.Length && !string.IsNullOrWhiteSpace(lines[i]) && !lines[i].StartsWith('#') && !lines[i].StartsWith('|') && !lines[i].StartsWith("- ", StringComparison.Ordinal); i++)
                {
                    paragraph.Add(lines[i]);
                }

                html.Append("<p>").Append(Inline(string.Join(' ', paragraph))).Append("</p>");
            }
        }

        return html.ToString();
    }

    private static int Table(string[] lines, int i, StringBuilder html)
    {
        var rows = new List<string[]>();
        for (; i < lines.Length && lines[i].StartsWith('|'); i++)
        {
            rows.Add(lines[i].Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray());
        }

        // The second row of a pipe table is the alignment row ("---:" right-aligns).
        var hasAlignment = rows.Count > 1 && rows[1].All(c => c.Trim(':').Length > 0 && c.Trim(':').All(ch => ch == '-'));
        var right = hasAlignment ? rows[1].Select(c => c.EndsWith(':')).ToArray() : [];
        html.Append("<table class=\"ftl-table\">");
        for (var r = 0; r < rows.Count; r++)
        {
            if (hasAlignment && r == 1)
            {
                continue;
            }

            var tag = hasAlignment && r == 0 ? "th" : "td";
            html.Append("<tr>");
            for (var c = 0; c < rows[r].Length; c++)
            {
                var cls = c < right.Length && right[c] ? " class=\"num\"" : "";
                html.Append('<').Append(tag).Append(cls).Append('>').Append(Inline(rows[r][c])).Append("</").Append(tag).Append('>');
            }

            html.Append("</tr>");
        }

        html.Append("</table>");
        return i;
    }

    private static string Inline(string text)
    {
        var encoded = WebUtility.HtmlEncode(text);
        encoded = CodeSpan().Replace(encoded, "<code>$1</code>");
        encoded = Bold().Replace(encoded, "<strong>$1</strong>");
        return Italic().Replace(encoded, "<em>$1</em>");
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\*\*([^*]+)\*\*")]
    private static partial Regex Bold();

    [GeneratedRegex(@"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])")]
    private static partial Regex Italic();
}
