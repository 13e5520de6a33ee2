using System.Net;
using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Extensions.Yaml;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace FTLPortal.Web.ModelCards;

/// <summary>
/// Renders a model card's Markdown as HTML for the job page with Markdig: CommonMark plus pipe tables, raw HTML off (a
/// tag in the card comes out as text), links only to http(s) or relative addresses, and the YAML front matter shown as
/// text in a collapsible block.
/// </summary>
public static class ModelCardHtml
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter()
        .UsePipeTables()
        .DisableHtml()
        .Build();

    public static string Render(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var document = Markdown.Parse(markdown, Pipeline);
        var html = new StringBuilder();
        if (document.Descendants<YamlFrontMatterBlock>().FirstOrDefault() is { } frontMatter)
        {
            html.Append("<details class=\"ftl-front-matter\"><summary>Metadata (YAML front matter)</summary><pre>")
                .Append(WebUtility.HtmlEncode(frontMatter.Lines.ToString()))
                .Append("</pre></details>");
            document.Remove(frontMatter);
        }

        foreach (var table in document.Descendants<Table>())
        {
            table.GetAttributes().AddClass("ftl-table");
            foreach (var row in table.OfType<TableRow>())
            {
                for (var i = 0; i < row.Count && i < table.ColumnDefinitions.Count; i++)
                {
                    if (table.ColumnDefinitions[i].Alignment == TableColumnAlign.Right)
                    {
                        row[i].GetAttributes().AddClass("num");
                    }
                }
            }
        }

        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafeUrl(link.Url))
            {
                link.Url = "#";
            }
        }

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return html.Append(writer).ToString();
    }

    /// <summary>Relative addresses without a scheme, or absolute http(s); never javascript:, data: or the like.</summary>
    private static bool IsSafeUrl(string? url) =>
        string.IsNullOrEmpty(url)
        || (!url.Contains(':', StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal))
        || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
}
