using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bunit;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs.Evaluation;
using FTLPortal.Core.Security;
using FTLPortal.Learning.Data;
using FTLPortal.Web.Tests.Support;

namespace FTLPortal.Web.Tests.Api;

/// <summary>
/// <c>GET /api/jobs/{id}/evaluation</c> on one fine-tuning job run by the real handler, with a small domain (under
/// <see cref="DomainSplit.CrossValidationBelowRows"/> rows): the API, the job page and the model card give the same
/// final numbers; the small domain's local-only estimate is k-fold cross-validated and labelled so; a partner admin reads
/// its own domains' numbers only.
/// </summary>
public sealed class JobEvaluationApiTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string SmallDomain = "tiny-clinic";
    private const int SmallRows = 60;
    private static readonly string[] SeededTargets = ["contoso-outpatients", "fabrikam-screening"];

    [Fact]
    public async Task GetEvaluation_GivesThePagesAndTheCardsNumbers_KFoldForASmallDomain_AndOwnDomainsOnlyToAPartnerAdmin()
    {
        Assert.True(SmallRows < DomainSplit.CrossValidationBelowRows);
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        using var contoso = await factory.CreateSignedInClientAsync("contoso-admin@ftl.local");
        using var fabrikam = await factory.CreateSignedInClientAsync("fabrikam-admin@ftl.local");
        using var northwind = await factory.CreateSignedInClientAsync("northwind-admin@ftl.local");
        var small = await RegisterSmallDomainAsync(contoso);
        var domains = await ScienceApi.DomainsAsync(scientist);
        var source = domains.Single(d => d.Name == "northwind-registry");
        var targets = SeededTargets.Select(n => domains.Single(d => d.Name == n).Id).Append(small).ToList();
        var modelId = await ScienceApi.PretrainAsync(scientist, source.Id);
        var job = await ScienceApi.FineTuneAsync(scientist, "eval-api", new { baseModelId = modelId, targetDomainIds = targets, rounds = 2, localEpochs = 1 });
        var jobId = job.GetProperty("id").GetGuid();

        var view = await EvaluationAsync(scientist, jobId);
        var final = view.Final!;
        Assert.Equal(["contoso-outpatients", "fabrikam-screening", SmallDomain], final.Domains.Select(d => d.DomainName).Order(StringComparer.Ordinal));
        Assert.Equal([SmallDomain], view.CrossValidatedDomains);
        Assert.Equal([1, 2], view.Rounds.Select(r => r.Round));
        foreach (var d in final.Domains)
        {
            Assert.False(string.IsNullOrEmpty(d.PartnerName));
            foreach (var m in new[] { d.Federated!, d.BaseModel!, d.LocalOnly! })
            {
                // Every metric of the issue for the task (binary: ROC AUC, sensitivity, specificity; multiclass: macro-F1 and
                // per-class recall), each with a bootstrap interval, and the majority baseline beside them.
                Assert.Equal("test", m.Split);
                var metrics = final.ClassNames.Count == 2
                    ? new[] { m.Accuracy, m.BalancedAccuracy, m.RocAuc, m.Sensitivity, m.Specificity, m.MajorityBaselineAccuracy }
                    : [m.Accuracy, m.BalancedAccuracy, m.MacroF1, m.MajorityBaselineAccuracy];
                Assert.All(metrics, metric => Assert.True(
                    metric?.Lower is { } lower && metric.Upper is { } upper && lower <= metric.Value && metric.Value <= upper,
                    $"{d.DomainName} ({m.Rows} rows): {string.Join("; ", metrics.Select(x => x?.ToString() ?? "null"))}"));

                Assert.Equal(final.ClassNames.Count, m.PerClassRecall.Count);
                Assert.Equal(m.Rows, m.ConfusionMatrix.Sum(row => row.Sum()));
            }
        }

        // The small domain: its local-only estimate is 5-fold cross-validated over all its rows, with the fold mean and its interval.
        var tiny = final.Domains.Single(d => d.DomainName == SmallDomain);
        var cv = tiny.LocalOnlyCrossValidated!;
        Assert.True(tiny.CrossValidated);
        Assert.Equal(("cross-validation", 5, "k-fold (k = 5)", SmallRows), (cv.Split, cv.Folds, cv.Protocol, cv.Rows));
        Assert.InRange(cv.FoldMeanAccuracy!.Value, cv.FoldMeanAccuracy.Lower!.Value, cv.FoldMeanAccuracy.Upper!.Value);
        Assert.All(final.Domains.Where(d => d.DomainName != SmallDomain), d => Assert.Null(d.LocalOnlyCrossValidated));

        // The JSON names the fields as documented (camelCase), including the recorded protocol.
        using (var raw = JsonDocument.Parse(await scientist.GetStringAsync(new Uri($"/api/jobs/{jobId}/evaluation", UriKind.Relative))))
        {
            var rawTiny = raw.RootElement.GetProperty("final").GetProperty("domains").EnumerateArray().Single(d => d.GetProperty("domainName").GetString() == SmallDomain);
            Assert.Equal("k-fold (k = 5)", rawTiny.GetProperty("localOnlyCrossValidated").GetProperty("protocol").GetString());
            Assert.True(rawTiny.GetProperty("negativeTransfer").ValueKind is JsonValueKind.True or JsonValueKind.False);
        }

        // The model card: the same cells under the same headings, and the k-fold wording.
        var card = await scientist.GetStringAsync(new Uri($"/api/jobs/{jobId}/model-card.md", UriKind.Relative));
        foreach (var d in final.Domains)
        {
            Assert.Contains($"| Metric | {string.Join(" | ", EvaluationTable.Columns(d).Select(c => c.Label))} |", card, StringComparison.Ordinal);
            foreach (var (_, cells) in EvaluationTable.Rows(final, d))
            {
                Assert.Contains($" | {string.Join(" | ", cells)} |", card, StringComparison.Ordinal);
            }
        }

        Assert.Contains("| Metric | Federated (test) | Base model (test) | Local only (test) | Local only (k-fold, k = 5) |", card, StringComparison.Ordinal);
        Assert.Contains($"also given by k-fold (k = 5) cross-validation over all its {SmallRows} rows, fold-mean accuracy {EvaluationTable.Format(cv.FoldMeanAccuracy)}", card, StringComparison.Ordinal);

        // The job page (the real page over the real services): the same rows and cells, and the small domain labelled cross-validated.
        await using (var context = RealPortalPages.ContextOver(factory))
        {
            var page = RealPortalPages.JobDetail(context, TestUsers.WithRole(PortalRoles.DataScientist), jobId);
            foreach (var d in final.Domains)
            {
                var section = page.Find($"[data-testid=domain-evaluation][data-domain={d.DomainName}]");
                var shown = section.QuerySelectorAll("[data-testid=metric-row]")
                    .Select(r => $"{r.GetAttribute("data-metric")}: {string.Join(" | ", r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()))}");
                Assert.Equal(EvaluationTable.Rows(final, d).Select(r => $"{r.Label}: {string.Join(" | ", r.Cells)}"), shown);
                Assert.Equal(d.CrossValidated, section.QuerySelector("[data-testid=cross-validated]") is not null);
            }

            var label = page.Find($"[data-domain={SmallDomain}] [data-testid=cross-validated]").TextContent;
            Assert.Contains("Cross-validated", label, StringComparison.Ordinal);
            Assert.Contains("k-fold (k = 5)", label, StringComparison.Ordinal);
            Assert.Contains(SmallDomain, page.Find("#kfold-note").TextContent, StringComparison.Ordinal);

            // The small domain's page lists this job among the jobs that used it (the consent audit list), for its owner.
            var owner = new PortalUserContext("contoso-admin", "contoso-admin@ftl.local", new HashSet<string> { PortalRoles.PartnerAdmin }, tiny.PartnerId);
            var audit = context.Render<FTLPortal.Web.Domains.DomainJobAuditList>(p => p.Add(x => x.DomainId, small).Add(x => x.User, owner));
            // A generous bound for the real services under load; no timing is asserted.
            audit.WaitForAssertion(() => Assert.Contains("eval-api", audit.Find("[data-testid=domain-job-use]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        }

        // Domains as participants: Contoso took part with two domains, each with its own results, labelled by domain and partner.
        var contosoDomains = final.Domains.Where(d => d.PartnerId == tiny.PartnerId).ToList();
        Assert.Equal(2, contosoDomains.Select(d => d.DomainId).Distinct().Count());
        Assert.Single(contosoDomains.Select(d => d.PartnerName).Distinct());
        var rounds = await scientist.GetFromJsonAsync<JsonElement>(new Uri($"/api/jobs/{jobId}/rounds", UriKind.Relative));
        Assert.Equal(3, rounds.EnumerateArray().Where(r => r.GetProperty("round").GetInt32() == 2).Select(r => r.GetProperty("domainName").GetString()).Distinct().Count());

        // Privacy: a partner admin gets its own partner's domains only, with the same numbers; a partner that took no part gets 404.
        var contosoView = await EvaluationAsync(contoso, jobId);
        var fabrikamView = await EvaluationAsync(fabrikam, jobId);
        Assert.Equal(["contoso-outpatients", SmallDomain], contosoView.Final!.Domains.Select(d => d.DomainName).Order(StringComparer.Ordinal));
        Assert.Equal(["fabrikam-screening"], fabrikamView.Final!.Domains.Select(d => d.DomainName));
        Assert.Empty(fabrikamView.CrossValidatedDomains);
        Assert.Equal(
            final.Domains.Where(d => d.PartnerName == contosoView.Final.Domains[0].PartnerName).Select(d => d.Federated!.Accuracy),
            contosoView.Final.Domains.Select(d => d.Federated!.Accuracy));
        using var notJoined = await northwind.GetAsync(new Uri($"/api/jobs/{jobId}/evaluation", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, notJoined.StatusCode);
    }

    [Fact]
    public async Task GetEvaluation_GivesRocAucSensitivityAndSpecificityAtTheThreshold_ForABinaryTask_AsTheCardDoes()
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        using var contoso = await factory.CreateSignedInClientAsync("contoso-admin@ftl.local");
        using var fabrikam = await factory.CreateSignedInClientAsync("fabrikam-admin@ftl.local");
        var source = await RegisterAsync(contoso, "binary-source", new SyntheticDomainOptions { Rows = 600, Classes = 2, Seed = 21, Noise = 1.2 });
        var targets = new List<Guid>
        {
            await RegisterAsync(contoso, "binary-contoso", new SyntheticDomainOptions { Rows = 300, Classes = 2, Seed = 22, Noise = 1.2, CovariateShift = 0.5 }),
            await RegisterAsync(fabrikam, "binary-fabrikam", new SyntheticDomainOptions { Rows = 300, Classes = 2, Seed = 23, Noise = 1.2, LabelShift = 0.4 }),
        };
        var modelId = await ScienceApi.PretrainAsync(scientist, source);
        var job = await ScienceApi.FineTuneAsync(scientist, "binary", new { baseModelId = modelId, targetDomainIds = targets, rounds = 2, localEpochs = 1 });
        var jobId = job.GetProperty("id").GetGuid();

        var final = (await EvaluationAsync(scientist, jobId)).Final!;
        var card = await scientist.GetStringAsync(new Uri($"/api/jobs/{jobId}/model-card.md", UriKind.Relative));

        Assert.Equal(2, final.ClassNames.Count);
        Assert.Equal(2, final.Domains.Count);
        foreach (var d in final.Domains)
        {
            foreach (var m in new[] { d.Federated!, d.BaseModel!, d.LocalOnly! })
            {
                Assert.Equal(0.5, m.Threshold);
                Assert.All(new[] { m.RocAuc, m.Sensitivity, m.Specificity }, metric => Assert.True(
                    metric?.Lower is { } lower && metric.Upper is { } upper && lower <= metric.Value && metric.Value <= upper, $"{d.DomainName}: {metric}"));
                Assert.Equal(m.Rows, m.ConfusionMatrix.Sum(row => row.Sum()));
            }

            var rows = EvaluationTable.Rows(final, d);
            Assert.Equal(["Rows", "Accuracy", "Balanced accuracy", "ROC AUC", "Sensitivity", "Specificity", "Majority-class baseline accuracy"], rows.Select(r => r.Label));
            foreach (var (label, cells) in rows)
            {
                Assert.Contains($"| {label} | {string.Join(" | ", cells)} |", card, StringComparison.Ordinal);
            }
        }
    }

    private static async Task<Guid> RegisterAsync(HttpClient partnerAdmin, string name, SyntheticDomainOptions options)
    {
        using var csv = new MemoryStream();
        CsvDatasetWriter.Write(SyntheticDomains.Generate(options), csv);
        using var created = await DomainUploads.UploadAsync(partnerAdmin, name, "label", csv.ToArray());
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var consent = await partnerAdmin.PutAsJsonAsync(new Uri($"/api/domains/{id}/consent", UriKind.Relative), new DomainConsent(Similarity: true, Training: true));
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        return id;
    }

    private static async Task<JobEvaluationView> EvaluationAsync(HttpClient client, Guid jobId) =>
        (await client.GetFromJsonAsync<JobEvaluationView>(new Uri($"/api/jobs/{jobId}/evaluation", UriKind.Relative), ScienceApi.Json))!;

    /// <summary>A 60-row domain of the demo's schema, uploaded by Contoso's admin, who opts in to training.</summary>
    private static Task<Guid> RegisterSmallDomainAsync(HttpClient partnerAdmin) =>
        RegisterAsync(partnerAdmin, SmallDomain, new SyntheticDomainOptions { Rows = SmallRows, Seed = 7, Noise = 1.2 });
}
