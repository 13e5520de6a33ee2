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
        Assert.Equal("Plain text on two lines.", doc.QuerySelector("p")!.TextContent);
    }

    [Fact]
    public void Render_EncodesMarkup_WhenCardTextContainsHtml()
    {
        var html = ModelCardHtml.Render("# <script>alert(1)</script>\n\n| <b>x</b> |\n");

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }
}
