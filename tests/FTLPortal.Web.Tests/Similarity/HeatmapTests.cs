using AngleSharp.Html.Parser;
using FTLPortal.Web.Similarity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FTLPortal.Web.Tests.Similarity;

public sealed class HeatmapTests
{
    private static async Task<AngleSharp.Html.Dom.IHtmlDocument> RenderAsync(IReadOnlyList<string> names, IReadOnlyList<IReadOnlyList<double?>> values)
    {
        await using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, NullLoggerFactory.Instance);
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<Heatmap>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(Heatmap.Names)] = names,
                [nameof(Heatmap.Values)] = values,
                [nameof(Heatmap.Id)] = "m",
            }));
            return output.ToHtmlString();
        });
        return new HtmlParser().ParseDocument(html);
    }

    [Fact]
    public async Task Render_ShowsOneCellPerPairWithValues_ForSquareMatrix()
    {
        var doc = await RenderAsync(["a", "b"], [[0.0, 0.25], [0.25, 0.0]]);

        var rows = doc.QuerySelectorAll("#m tbody tr");
        Assert.Equal(2, rows.Length);
        Assert.Equal(["0.000", "0.250"], rows[0].QuerySelectorAll("td").Select(td => td.TextContent));
        Assert.Equal(["a", "b"], doc.QuerySelectorAll("#m thead th[scope=col]").Select(th => th.TextContent));
    }

    [Fact]
    public async Task Render_ColoursNearGreenAndFarRed_AndMarksMissingValues()
    {
        var doc = await RenderAsync(["a", "b"], [[0.0, null], [1.0, 0.0]]);
        var cells = doc.QuerySelectorAll("#m tbody td");

        Assert.Contains("hsl(130,", cells[0].GetAttribute("style"), StringComparison.Ordinal);
        Assert.Equal("n/a", cells[1].TextContent);
        Assert.Contains("hsl(0,", cells[2].GetAttribute("style"), StringComparison.Ordinal);
    }
}
