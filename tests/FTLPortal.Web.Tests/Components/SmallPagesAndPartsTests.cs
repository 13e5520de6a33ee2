using Bunit;
using FTLPortal.Web.Account;
using FTLPortal.Web.Common;
using FTLPortal.Web.Components;
using FTLPortal.Web.Components.Ui;
using FTLPortal.Web.Home;
using FTLPortal.Web.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace FTLPortal.Web.Tests.Components;

/// <summary>The pages without data (access denied, not found, error) and the small shared parts.</summary>
public sealed class SmallPagesAndPartsTests : PortalComponentTest
{
    [Fact]
    public void AccessDenied_ShowsTheRoleNotice_AndALinkBack()
    {
        var cut = Render<AccessDenied>();

        Assert.Equal("Access denied", cut.Find("h1").TextContent);
        Assert.Contains("This page is not available to your role.", cut.Find("#role-notice").TextContent, StringComparison.Ordinal);
        Assert.Equal("/", cut.Find("a").GetAttribute("href"));
    }

    [Fact]
    public void NotFound_SaysSo_AndLinksHome()
    {
        var cut = Render<NotFoundPage>();

        Assert.Equal("Page not found", cut.Find("#not-found h1").TextContent);
        Assert.Equal("/", cut.Find("#not-found a").GetAttribute("href"));
    }

    [Fact]
    public void ErrorPage_GivesTheRequestIdForOps_AndNoDetail()
    {
        var context = new DefaultHttpContext { TraceIdentifier = "0HNA1B2C3D4E5:00000007" };

        var cut = Render<ErrorPage>(p => p.AddCascadingValue(context));

        Assert.Equal("0HNA1B2C3D4E5:00000007", cut.Find("code").TextContent);
        Assert.DoesNotContain("Exception", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ReconnectBanner_HasTheElementBlazorToggles_AndAPoliteStatus()
    {
        var cut = Render<ReconnectBanner>();

        var modal = cut.Find("#components-reconnect-modal");
        Assert.Equal("status", modal.GetAttribute("role"));
        Assert.Equal("polite", modal.GetAttribute("aria-live"));
        Assert.NotNull(cut.Find(".ftl-reconnect-failed a"));
    }

    [Fact]
    public void Breadcrumb_LinksTheListAndMarksTheCurrentPage()
    {
        var cut = Render<Breadcrumb>(p => p.Add(x => x.ParentTitle, "Domains").Add(x => x.ParentHref, "/domains").Add(x => x.Current, "northwind-clinics"));

        Assert.Equal("Breadcrumb", cut.Find("nav").GetAttribute("aria-label"));
        Assert.Equal("/domains", cut.Find("a").GetAttribute("href"));
        Assert.Equal("northwind-clinics", cut.Find("[aria-current=page]").TextContent);
    }

    [Fact]
    public void LocalTime_ShowsUtcFirst_ThenTheBrowsersZone()
    {
        JSInterop.Setup<string?>("ftlPortal.timeZone").SetResult("Asia/Tokyo");
        var value = new DateTimeOffset(2026, 12, 1, 22, 30, 0, TimeSpan.Zero);

        var cut = Render<LocalTime>(p => p.Add(x => x.Value, value));

        Assert.Equal("2026-12-01T22:30:00.0000000+00:00", cut.Find("time").GetAttribute("datetime"));
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        cut.WaitForAssertion(() => Assert.Equal(PortalFormat.Time(value, tokyo), cut.Find("time").TextContent));
        Assert.NotEqual(PortalFormat.Time(value, TimeZoneInfo.Utc), cut.Find("time").TextContent);
    }
}
