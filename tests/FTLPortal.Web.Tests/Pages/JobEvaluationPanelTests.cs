using Bunit;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Jobs.Evaluation;
using FTLPortal.Core.Security;
using FTLPortal.Web.Jobs;
using FTLPortal.Web.Tests.Support;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Web.Tests.Pages;

public sealed class JobEvaluationPanelTests : PortalComponentTest
{
    private static MetricInterval M(double value, double? lower = null, double? upper = null) => new(value, lower ?? value - 0.05, upper ?? value + 0.05);

    private static SplitMetrics Metrics(double accuracy, double balanced) => new()
    {
        Split = "test",
        Rows = 40,
        Accuracy = M(accuracy),
        BalancedAccuracy = M(balanced),
        MacroF1 = M(0.6),
        RocAuc = M(0.81, 0.7, 0.9),
        Sensitivity = M(0.7),
        Specificity = M(0.75),
        Threshold = 0.5,
        PerClassRecall = [M(0.75), M(0.7)],
        ConfusionMatrix = [[18, 6], [5, 11]],
        MajorityBaselineAccuracy = M(0.6, 0.45, 0.75),
    };

    private static FineTuningEvaluation Final(bool negative) => new()
    {
        ClassNames = ["healthy", "sick"],
        FinalRound = 4,
        RoundsRun = 5,
        BootstrapSamples = 1000,
        StoppedEarly = "Early stopping after round 5 of 10.",
        Domains =
        [
            new DomainEvaluation
            {
                PartnerId = TestUsers.NorthPartner, PartnerName = "North", DomainId = Guid.NewGuid(), DomainName = "north-clinic",
                Federated = Metrics(0.725, negative ? 0.4 : 0.7), BaseModel = Metrics(0.6, 0.55), LocalOnly = Metrics(0.7, 0.68),
                NegativeTransfer = negative,
            },
        ],
    };

    [Fact]
    public void Panel_ShowsTestMetricsWithIntervalsInTheCardsLayout_AndTheNegativeTransferFlag()
    {
        var final = Final(negative: true);
        var cut = Render<JobEvaluationPanel>(p => p.Add(x => x.View, new JobEvaluationView { Final = final }));

        var rows = cut.FindAll("[data-testid=metric-row]");
        var expected = EvaluationTable.Rows(final, final.Domains[0]);
        Assert.Equal(expected.Select(r => r.Label), rows.Select(r => r.GetAttribute("data-metric")));
        var accuracy = cut.Find("[data-metric=Accuracy]").QuerySelectorAll("td").Select(td => td.TextContent).ToList();
        Assert.Equal(["72.5% [67.5%, 77.5%]", "60.0% [55.0%, 65.0%]", "70.0% [65.0%, 75.0%]"], accuracy);
        Assert.Contains("81.0% [70.0%, 90.0%]", cut.Find("[data-metric='ROC AUC']").TextContent, StringComparison.Ordinal);
        Assert.Contains("60.0% [45.0%, 75.0%]", cut.Find("[data-metric='Majority-class baseline accuracy']").TextContent, StringComparison.Ordinal);
        Assert.Contains("balanced accuracy is below local-only", cut.Find("[data-testid=negative-transfer]").TextContent, StringComparison.Ordinal);
        Assert.Contains("18", cut.Find("[data-testid=confusion-matrix]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Early stopping after round 5", cut.Find("#stopped-early").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Panel_NumbersOwnHeadClassesAndShowsTheAction_WhenThePartnerHadItsOwnHead()
    {
        var final = Final(negative: false);
        var own = final.Domains[0] with
        {
            OwnHeadClasses = 3,
            Federated = Metrics(0.8, 0.8) with { PerClassRecall = [M(0.8), M(0.7), M(0.9)], ConfusionMatrix = [[9, 1, 0], [1, 7, 2], [0, 1, 9]] },
            NegativeTransferReaction = "switched to its own head after round 4: federated 50.0 % below local-only 90.0 %",
        };
        var cut = Render<JobEvaluationPanel>(p => p.Add(x => x.View, new JobEvaluationView { Final = final with { ClassNames = ["a", "b", "c"], Domains = [own] } }));

        Assert.Contains("3 classes", cut.Find("[data-testid=own-head]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("[data-metric='Recall of class 3']"));
        Assert.Contains("North switched to its own head after round 4", cut.Find("[data-testid=negative-transfer-action]").TextContent, StringComparison.Ordinal);
        // The base model's class names do not label the partner's own classes.
        Assert.DoesNotContain(">a<", cut.Find("[data-testid=confusion-matrix]").InnerHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void Panel_HasNoFlag_WhenFederatedIsNotClearlyBelowLocalOnly()
    {
        var cut = Render<JobEvaluationPanel>(p => p.Add(x => x.View, new JobEvaluationView { Final = Final(negative: false) }));

        Assert.Empty(cut.FindAll("[data-testid=negative-transfer]"));
        Assert.Single(cut.FindAll("[data-testid=domain-evaluation]"));
    }

    [Fact]
    public void Panel_WarnsOfOverfittingAndNotesSmallDomains_BeforeTheFinalNumbers()
    {
        var view = new JobEvaluationView { Overfitting = true, RisingRounds = 3, BestRound = 2, CrossValidatedDomains = ["tiny-site"] };

        var cut = Render<JobEvaluationPanel>(p => p.Add(x => x.View, view));

        Assert.Contains("risen for 3 rounds in a row (lowest at round 2)", cut.Find("#overfitting-warning").TextContent, StringComparison.Ordinal);
        Assert.Contains("tiny-site", cut.Find("#kfold-note").TextContent, StringComparison.Ordinal);
        Assert.Contains("k-fold cross-validation", cut.Find("#kfold-note").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("#final-evaluation"));
    }

    [Fact]
    public void JobDetail_ChartsTheGlobalModelPerDomain_AndShowsTheEvaluationAndThePackageLink()
    {
        var jobs = Services.GetRequiredService<FakeJobService>();
        var job = new PortalJob
        {
            Name = "ft", Kind = JobKind.FineTuning, ParametersJson = "{}", Status = JobStatus.Running, TotalRounds = 3,
            CreatedBy = "scientist@ftl.local", InvolvedPartners = TestUsers.NorthPartner.ToString(),
        };
        jobs.Jobs.Add(job);
        jobs.Rounds.Add(new RoundMetric
        {
            JobId = job.Id, Round = 1, PartnerId = TestUsers.NorthPartner, PartnerName = "North", DomainName = "north-clinic", SampleCount = 100,
            TrainLoss = 0.5, ValidationLoss = 0.6, ValidationAccuracy = 0.9, GlobalValidationAccuracy = 0.61, GlobalValidationLoss = 0.7, GlobalValidationRows = 20,
        });
        Services.GetRequiredService<FakeJobEvaluationService>().View = new JobEvaluationView { Overfitting = true, RisingRounds = 4 };

        var cut = Render<JobDetailPage>(p => p
            .AddCascadingValue(Task.FromResult(new AuthenticationState(TestUsers.WithRole(PortalRoles.DataScientist))))
            .Add(x => x.JobId, job.Id));

        cut.WaitForAssertion(() => Assert.Equal(FTLPortal.Web.Common.PortalFormat.Percent(0.61), cut.Find("[data-testid=global-accuracy]").TextContent.Trim()));
        Assert.Contains("north-clinic (North)", cut.Find("#rounds-table").TextContent, StringComparison.Ordinal);
        Assert.Contains("Global model (after averaging)", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Local training loss per domain (before averaging)", cut.Markup, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("#overfitting-warning"));
    }
}
