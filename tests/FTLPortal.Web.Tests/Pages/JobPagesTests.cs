using System.Security.Claims;
using System.Text.Json;
using Bunit;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Security;
using FTLPortal.Web.Jobs;
using FTLPortal.Web.Tests.Support;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Web.Tests.Pages;

public sealed class JobPagesTests : PortalComponentTest
{
    private readonly FakeJobService _jobs;
    private readonly FakeJobNotifier _notifier;
    private readonly PortalJob _job;

    public JobPagesTests()
    {

        _jobs = Services.GetRequiredService<FakeJobService>();
        _notifier = Services.GetRequiredService<FakeJobNotifier>();
        _job = new PortalJob
        {
            Name = "clinics v2",
            Kind = JobKind.FineTuning,
            ParametersJson = "{}",
            Status = JobStatus.Running,
            TotalRounds = 3,
            CreatedBy = "scientist@ftl.local",
            InvolvedPartners = $"{TestUsers.NorthPartner},{TestUsers.SouthPartner}",
        };
        _jobs.Jobs.Add(_job);
    }

    [Fact]
    public void JobDetail_UpdatesLive_WhenJobEventsArePushed()
    {
        var cut = RenderJob(TestUsers.WithRole(PortalRoles.DataScientist), _job.Id);
        cut.WaitForAssertion(() => Assert.Equal(1, _notifier.SubscriberCount));
        Assert.Empty(cut.FindAll("[data-testid=round-row]"));

        // The runner records round 1 and publishes; the page reloads from the service.
        _jobs.Rounds.Add(Metric(1, TestUsers.NorthPartner, "north", 0.8));
        _job.CurrentRound = 1;
        _job.Progress = 1 / 3.0;
        _notifier.Publish(new JobEvent { JobId = _job.Id, Kind = JobEventKind.RoundCompleted, Round = 1, TotalRounds = 3 });

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=round-row]")));
        Assert.Equal("33 %", cut.Find(".ftl-progress-cell span").TextContent);
        Assert.Equal("Round 1 of 3", cut.Find("#job-rounds").TextContent);

        _job.Status = JobStatus.Completed;
        _notifier.Publish(new JobEvent { JobId = _job.Id, Kind = JobEventKind.StatusChanged, Status = JobStatus.Completed });
        cut.WaitForAssertion(() => Assert.Equal("Completed", cut.Find("#job-status [data-testid=job-status]").TextContent.Trim()));
        Assert.Empty(cut.FindAll("#job-cancel"));
    }

    [Theory]
    [InlineData("{}", "builtin")]
    [InlineData("""{"Engine":"torchsharp"}""", "torchsharp")]
    public void JobDetail_NamesTheTrainingEngine_OfAFineTuningJob(string parameters, string engine)
    {
        _job.ParametersJson = parameters;

        var cut = RenderJob(TestUsers.WithRole(PortalRoles.DataScientist), _job.Id);

        cut.WaitForAssertion(() => Assert.Equal($"Training engine: {engine}", cut.Find("#job-engine").TextContent.Trim()));
    }

    [Fact]
    public void JobDetail_NamesEachParticipantsEngine_WhenItDiffersFromTheJobs()
    {
        _job.ParametersJson = JsonSerializer.Serialize(new FineTuningParameters
        {
            ParticipantEngines = new Dictionary<string, string> { [TestUsers.SouthPartner.ToString()] = "torchsharp", [TestUsers.NorthPartner.ToString()] = "builtin" },
        });
        _jobs.Rounds.Add(Metric(1, TestUsers.SouthPartner, "south", 0.8));

        var cut = RenderJob(TestUsers.WithRole(PortalRoles.DataScientist), _job.Id);

        cut.WaitForAssertion(() => Assert.Equal("Training engine: builtin; per participant: south: torchsharp", cut.Find("#job-engine").TextContent.Trim()));
    }

    [Fact]
    public async Task JobDetail_UnsubscribesWhenTheUserLeaves()
    {
        var cut = RenderJob(TestUsers.WithRole(PortalRoles.DataScientist), _job.Id);
        cut.WaitForAssertion(() => Assert.Equal(1, _notifier.SubscriberCount));

        await DisposeComponentsAsync();

        Assert.Equal(0, _notifier.SubscriberCount);
    }

    [Fact]
    public void JobDetail_ScientistMayCancel_PartnerAdminMayNot()
    {
        var scientist = RenderJob(TestUsers.WithRole(PortalRoles.DataScientist), _job.Id);
        scientist.Find("#job-cancel").Click();
        Assert.Equal([_job.Id], _jobs.Cancelled);

        var partner = RenderJob(TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner), _job.Id);
        Assert.Equal("clinics v2", partner.Find("h1").TextContent);
        Assert.Empty(partner.FindAll("#job-cancel"));
    }

    [Fact]
    public void JobDetail_PartnerAdminSeesOnlyItsOwnPartnersRounds()
    {
        _jobs.Rounds.Add(Metric(1, TestUsers.NorthPartner, "north", 0.8));
        _jobs.Rounds.Add(Metric(1, TestUsers.SouthPartner, "south", 0.7));

        var cut = RenderJob(TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner), _job.Id);

        var rows = cut.FindAll("#rounds-table tbody tr");
        Assert.Single(rows);
        Assert.Contains("north", rows[0].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("south", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void JobDetail_ShowsOneDropNotice_PerPartnerThatDroppedOut()
    {
        _jobs.Rounds.Add(Metric(1, TestUsers.SouthPartner, "south", 0.7));
        _jobs.Rounds.Add(new RoundMetric { JobId = _job.Id, Round = 2, PartnerId = TestUsers.SouthPartner, PartnerName = "south", Dropped = true, DropReason = "timeout" });
        _jobs.Rounds.Add(new RoundMetric { JobId = _job.Id, Round = 3, PartnerId = TestUsers.SouthPartner, PartnerName = "south", Dropped = true, DropReason = "timeout" });

        var cut = RenderJob(TestUsers.WithRole(PortalRoles.DataScientist), _job.Id);

        var notice = Assert.Single(cut.FindAll("[data-testid=drop-notice]"));
        Assert.Contains("south dropped from round 2 onward", notice.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void JobDetail_ShowsPlainErrors_AndTheTechnicalDetailToOpsOnly()
    {
        _job.Status = JobStatus.Failed;
        _job.Error = "System.InvalidOperationException: Sequence contains no elements";

        var partner = RenderJob(TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner), _job.Id);
        Assert.Equal("Sequence contains no elements", partner.Find("#job-message").TextContent);
        Assert.DoesNotContain("InvalidOperationException", partner.Markup, StringComparison.Ordinal);

        var ops = RenderJob(TestUsers.WithRole(PortalRoles.Ops), _job.Id);
        Assert.Contains("InvalidOperationException", ops.Find("#job-error-detail").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void JobDetail_OffersReRunOfAFailedJobToScientists_AndNeitherButtonToPartnerAdmins()
    {
        _job.Status = JobStatus.Failed;
        _job.Error = "Agent lost";

        var scientist = RenderJob(TestUsers.WithRole(PortalRoles.DataScientist), _job.Id);
        Assert.NotNull(scientist.Find("#job-clone"));
        scientist.Find("#job-rerun").Click();
        Assert.Equal([_job.Id], _jobs.Reruns);
        scientist.WaitForAssertion(() => Assert.Empty(scientist.FindAll("#job-rerun")));

        _job.Status = JobStatus.Failed;
        var partner = RenderJob(TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner), _job.Id);
        Assert.Empty(partner.FindAll("#job-rerun"));
        Assert.Empty(partner.FindAll("#job-clone"));
    }

    [Fact]
    public void JobDetail_SaysNotFound_ForAJobOfAnotherPartner()
    {
        var cut = RenderJob(TestUsers.WithRole(PortalRoles.PartnerAdmin, Guid.NewGuid()), _job.Id);

        Assert.NotNull(cut.Find("#job-not-found"));
    }

    [Fact]
    public void Jobs_ListsReadableKinds_AndRefreshesOnEvents()
    {
        var cut = RenderJobs(TestUsers.WithRole(PortalRoles.Ops));
        Assert.Contains("Fine-tuning", cut.Find("#jobs-grid").TextContent, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.Equal(1, _notifier.SubscriberCount));

        _jobs.Jobs.Add(new PortalJob { Name = "scores", Kind = JobKind.Similarity, ParametersJson = "{}" });
        _notifier.Publish(new JobEvent { JobId = Guid.NewGuid(), Kind = JobEventKind.StatusChanged });

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=job-link]").Count));
    }

    [Fact]
    public void Jobs_PartnerAdminSeesOnlyJobsInvolvingItsPartner()
    {
        _jobs.Jobs.Add(new PortalJob { Name = "elsewhere", Kind = JobKind.Similarity, ParametersJson = "{}", InvolvedPartners = Guid.NewGuid().ToString() });

        var cut = RenderJobs(TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner));

        Assert.Equal(["clinics v2"], cut.FindAll("[data-testid=job-link]").Select(a => a.TextContent));
    }

    private RoundMetric Metric(int round, Guid partner, string name, double accuracy) => new()
    {
        JobId = _job.Id, Round = round, PartnerId = partner, PartnerName = name, SampleCount = 1200, TrainLoss = 0.5, ValidationLoss = 0.6, ValidationAccuracy = accuracy,
    };

    private IRenderedComponent<JobDetailPage> RenderJob(ClaimsPrincipal user, Guid jobId) =>
        Render<JobDetailPage>(p => p.AddCascadingValue(Task.FromResult(new AuthenticationState(user))).Add(x => x.JobId, jobId));

    private IRenderedComponent<JobsPage> RenderJobs(ClaimsPrincipal user) =>
        Render<JobsPage>(p => p.AddCascadingValue(Task.FromResult(new AuthenticationState(user))));
}
