using FTLPortal.Core.Jobs;
using FTLPortal.Web.Common;

namespace FTLPortal.Web.Tests.Components;

public sealed class PortalFormatTests
{
    [Theory]
    [InlineData(0.1 + 0.2, "30 %")]
    [InlineData(0.87549999999, "87.5 %")]
    [InlineData(1.0, "100 %")]
    [InlineData(12.3456, "1,234.6 %")]
    public void Percent_HasNoFloatingPointNoise(double share, string expected) =>
        Assert.Equal(expected, PortalFormat.Percent(share));

    [Fact]
    public void Count_HasThousandsSeparators() => Assert.Equal("1,234,567", PortalFormat.Count(1_234_567));

    [Theory]
    [InlineData(JobKind.FineTuning, "Fine-tuning")]
    [InlineData(JobKind.Pretraining, "Pre-training")]
    [InlineData(JobKind.Similarity, "Similarity")]
    public void Kind_IsReadable(JobKind kind, string expected) => Assert.Equal(expected, PortalFormat.Kind(kind));

    [Fact]
    public void Time_IsInTheGivenZone_WithTheZoneShown()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        Assert.Equal("2026-07-01 14:30 Europe/Berlin", PortalFormat.Time(new DateTimeOffset(2026, 7, 1, 12, 30, 0, TimeSpan.Zero), zone));
        Assert.Equal("2026-07-01 12:30 UTC", PortalFormat.Time(new DateTimeOffset(2026, 7, 1, 12, 30, 0, TimeSpan.Zero), TimeZoneInfo.Utc));
    }

    [Fact]
    public void PlainError_DropsExceptionTypeNamesGuidsAndStackFrames()
    {
        var raw = "System.InvalidOperationException: Agent for domain 3f2504e0-4f89-11d3-9a0c-0305e82c3301 did not answer.\n   at FTLPortal.Something.Run()";

        Assert.Equal("Agent for domain (id) did not answer.", PortalFormat.PlainError(raw));
    }

    [Fact]
    public void PlainError_SaysSomethingUseful_WhenNothingIsLeft() =>
        Assert.Equal("The job failed. Ops have the technical detail.", PortalFormat.PlainError("System.Exception"));
}
