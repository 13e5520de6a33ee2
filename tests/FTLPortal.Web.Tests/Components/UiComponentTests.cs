using Bunit;
using FTLPortal.Core.Jobs;
using FTLPortal.Web.Components.Ui;
using FTLPortal.Web.Tests.Support;
using MudBlazor;

namespace FTLPortal.Web.Tests.Components;

public sealed class UiComponentTests : PortalComponentTest
{

    [Theory]
    [InlineData(JobStatus.Completed, "mud-chip-color-success")]
    [InlineData(JobStatus.Failed, "mud-chip-color-error")]
    [InlineData(JobStatus.Running, "mud-chip-color-info")]
    public void StatusBadge_ShowsTheStatusAsTextAndColour(JobStatus status, string colourClass)
    {
        var cut = Render<StatusBadge>(p => p.Add(b => b.Status, status));

        var chip = cut.Find("[data-testid=job-status]");
        Assert.Equal(status.ToString(), chip.TextContent.Trim());
        Assert.Contains(colourClass, chip.ClassList);
        // An icon as well, so colour is not the only cue.
        Assert.NotNull(cut.Find("svg"));
    }

    [Fact]
    public void PageHeader_RendersOneH1_WithTheTitle()
    {
        var cut = Render<PageHeader>(p => p.Add(h => h.Title, "Jobs"));

        var h1 = Assert.Single(cut.FindAll("h1"));
        Assert.Equal("Jobs", h1.TextContent);
    }

    [Theory]
    [InlineData(Severity.Error, "alert")]
    [InlineData(Severity.Info, "status")]
    public void Notice_AnnouncesErrorsAsAlertsAndTheRestAsStatus(Severity severity, string role)
    {
        var cut = Render<Notice>(p => p.Add(n => n.Severity, severity).Add(n => n.Id, "n").AddChildContent("Something"));

        Assert.Equal(role, cut.Find("#n").GetAttribute("role"));
        Assert.Contains("Something", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void RoleNotice_SaysThePageIsNotAvailableToTheRole()
    {
        var cut = Render<RoleNotice>();

        Assert.Contains("This page is not available to your role", cut.Find("#role-notice").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void LineChartCard_NamesTheChart_WithRoundsFromOneAndTheLastValues()
    {
        var cut = Render<LineChartCard>(p => p
            .Add(c => c.Title, "Accuracy")
            .Add(c => c.Percent, true)
            .Add(c => c.Id, "acc")
            .Add(c => c.Lines, [new ChartLine("north", [0.5, 0.8754]), new ChartLine("south", [0.4, null])]));

        var label = cut.Find("#acc [role=img]").GetAttribute("aria-label");
        Assert.Equal("Accuracy, rounds 1 to 2. Last values: north 88 %; south 40 %", label);
        Assert.Equal("Accuracy", cut.Find("#acc h2").TextContent);
    }

    [Fact]
    public void LineChartCard_SaysNoRoundsYet_WhenEmpty()
    {
        var cut = Render<LineChartCard>(p => p.Add(c => c.Title, "Loss").Add(c => c.Lines, []));

        Assert.Contains("No rounds yet.", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[role=img]"));
    }
}
