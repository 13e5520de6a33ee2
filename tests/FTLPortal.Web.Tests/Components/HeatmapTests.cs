using Bunit;
using FTLPortal.Web.Components.Ui;
using FTLPortal.Web.Tests.Support;

namespace FTLPortal.Web.Tests.Components;

public sealed class HeatmapTests : PortalComponentTest
{

    private IRenderedComponent<Heatmap> RenderMatrix(IReadOnlyList<string> names, IReadOnlyList<IReadOnlyList<double?>> values) =>
        Render<Heatmap>(p => p.Add(h => h.Names, names).Add(h => h.Values, values).Add(h => h.Id, "m").Add(h => h.Caption, "Distances"));

    [Fact]
    public void Render_ShowsOneCellPerPairWithValues_ForSquareMatrix()
    {
        var cut = RenderMatrix(["a", "b"], [[0.0, 0.25], [0.25, 0.0]]);

        var rows = cut.FindAll("#m tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Equal(["0.000", "0.250"], rows[0].QuerySelectorAll("td").Select(td => td.TextContent));
        Assert.Equal(["a", "b"], cut.FindAll("#m thead th[scope=col]").Select(th => th.TextContent));
    }

    [Fact]
    public void Render_UsesViridisEnds_AndMarksMissingValues()
    {
        var cut = RenderMatrix(["a", "b"], [[0.0, null], [1.0, 0.0]]);
        var cells = cut.FindAll("#m tbody td");

        // Nearest is viridis' dark purple with white text, farthest its yellow with black text: no red/green pair.
        Assert.Equal("background:#440154;color:#ffffff", cells[0].GetAttribute("style"));
        Assert.Equal("n/a", cells[1].TextContent);
        Assert.Equal("background:#fde725;color:#000000", cells[2].GetAttribute("style"));
    }

    [Fact]
    public void Render_HasALegendFromZeroToTheLargestValue_AndAnAccessibleName()
    {
        var cut = RenderMatrix(["a", "b"], [[0.0, 0.5], [0.5, 0.0]]);

        var legend = cut.Find("#m-legend").TextContent;
        Assert.Contains("0.000 (closest)", legend, StringComparison.Ordinal);
        Assert.Contains("0.500 (farthest)", legend, StringComparison.Ordinal);
        Assert.Equal("Distances", cut.Find("[role=region]").GetAttribute("aria-label"));
    }
}
