using AngleSharp.Html.Parser;
using FTLPortal.Web.ModelCards;

namespace FTLPortal.Web.Tests.ModelCards;

public sealed class ModelCardHtmlTests
{
    private const string Card = """
        ---
        model_name: m
        frozen_layers:
          - dense1
        ---

        # Model card: m

        ## Model details

        - Base model: **mlp v1**, pre-trained on *src*.
        - Weights: SHA-256 `abc`.

        | Partner | Rows | Federated |
        |---|---:|---:|
        | Contoso | 80 | 97.5% |

        Plain text
        on two lines.
        """;

    [Fact]
    public void Render_TurnsHeadingsListsTablesAndFrontMatterIntoHtml()
    {
        var doc = new HtmlParser().ParseDocument(ModelCardHtml.Render(Card));

        Assert.Contains("frozen_layers:", doc.QuerySelector("details pre")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Model card: m", doc.QuerySelector("h1")!.TextContent);
        Assert.Equal("Model details", doc.QuerySelector("h2")!.TextContent);
        Assert.Equal(2, doc.QuerySelectorAll("ul li").Length);
        Assert.Equal("mlp v1", doc.QuerySelector("li strong")!.TextContent);
        Assert.Equal("src", doc.QuerySelector("li em")!.TextContent);
        Assert.Equal("abc", doc.QuerySelector("li code")!.TextContent);
        Assert.Equal(["Partner", "Rows", "Federated"], doc.QuerySelectorAll("table th").Select(th => th.TextContent));
        Assert.Equal(["Contoso", "80", "97.5%"], doc.QuerySelectorAll("table td").Select(td => td.TextContent));
        Assert.Equal("num", doc.QuerySelectorAll("table td")[1].ClassName);
        // A soft line break stays a newline in the HTML text, which browsers show as a space.
        Assert.Equal("Plain text on two lines.", doc.QuerySelector("p")!.TextContent.Replace('\n', ' '));
    }

    [Fact]
    public void Render_EncodesMarkup_WhenCardTextContainsHtml()
    {
        var html = ModelCardHtml.Render("# <script>alert(1)</script>\n\n| <b>x</b> |\n");

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ShowsRawHtmlAsText_WhenCardContainsTags()
    {
        var html = ModelCardHtml.Render("Text <img src=x onerror=alert(1)> and\n\n<script>alert(1)</script>\n\n<div onclick=\"x\">block</div>\n");
        var doc = new HtmlParser().ParseDocument(html);

        Assert.Empty(doc.QuerySelectorAll("script, img, div"));
        Assert.Contains("<script>alert(1)</script>", doc.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NeutralizesScriptLinks_WhenCardHasJavascriptUrl()
    {
        var doc = new HtmlParser().ParseDocument(ModelCardHtml.Render("[a](javascript:alert(1)) [b](https://example.org/) [c](/api/jobs)\n"));

        Assert.Equal(["#", "https://example.org/", "/api/jobs"], doc.QuerySelectorAll("a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public void Render_KeepsEscapedNamesLiteral_WhenWriterEscapedThem()
    {
        // What ModelCardWriter writes for a domain named "x\n# Fake | cell" (MarkdownText.Escape): one heading, one row of two cells.
        var doc = new HtmlParser().ParseDocument(ModelCardHtml.Render("# Card\n\n| Domain | Rows |\n|---|---:|\n| x \\# Fake \\| cell \\<b\\> | 3 |\n"));

        Assert.Single(doc.QuerySelectorAll("h1, h2, h3"));
        Assert.Equal(["x # Fake | cell <b>", "3"], doc.QuerySelectorAll("table td").Select(td => td.TextContent));
        Assert.Empty(doc.QuerySelectorAll("td b"));
    }
}
