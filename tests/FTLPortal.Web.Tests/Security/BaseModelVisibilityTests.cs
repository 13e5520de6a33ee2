using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Jobs;
using FTLPortal.Infrastructure.Persistence;
using FTLPortal.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Web.Tests.Security;

/// <summary>Finding 1: a partner sees only base models of its own domains or of jobs it joined (their class names are label values).</summary>
public sealed class BaseModelVisibilityTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task ListAndGet_ShowPartnersOnlyTheirOwnModels_AndScientistsAll()
    {
        var (fromContosoDomain, fromJobWithFabrikam, unrelated) = await AddModelsAsync();
        using var contoso = await factory.CreateSignedInClientAsync("contoso-admin@ftl.local");
        using var fabrikam = await factory.CreateSignedInClientAsync("fabrikam-admin@ftl.local");
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);

        var contosoSees = await ListIdsAsync(contoso);
        var fabrikamSees = await ListIdsAsync(fabrikam);
        var scientistSees = await ListIdsAsync(scientist);

        Assert.Contains(fromContosoDomain, contosoSees);
        Assert.DoesNotContain(fromJobWithFabrikam, contosoSees);
        Assert.DoesNotContain(unrelated, contosoSees);
        Assert.Contains(fromJobWithFabrikam, fabrikamSees);
        Assert.DoesNotContain(fromContosoDomain, fabrikamSees);
        Assert.Superset(new HashSet<Guid> { fromContosoDomain, fromJobWithFabrikam, unrelated }, scientistSees.ToHashSet());
        Assert.Equal(HttpStatusCode.NotFound, (await contoso.GetAsync(new Uri($"/api/models/{unrelated}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await contoso.GetAsync(new Uri($"/api/models/{fromJobWithFabrikam}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await contoso.GetAsync(new Uri($"/api/models/{fromContosoDomain}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scientist.GetAsync(new Uri($"/api/models/{unrelated}", UriKind.Relative))).StatusCode);
    }

    private static async Task<List<Guid>> ListIdsAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>(new Uri("/api/models", UriKind.Relative))).EnumerateArray().Select(m => m.GetProperty("id").GetGuid()).ToList();

    private async Task<(Guid FromContosoDomain, Guid FromJobWithFabrikam, Guid Unrelated)> AddModelsAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var contoso = await db.Partners.SingleAsync(p => p.Slug == "contoso");
        var fabrikam = await db.Partners.SingleAsync(p => p.Slug == "fabrikam");
        var contosoDomain = await db.Domains.FirstAsync(d => d.PartnerId == contoso.Id);
        var job = new PortalJob { Kind = JobKind.Pretraining, Name = "pretrain", ParametersJson = "{}", CreatedBy = "scientist@ftl.local", InvolvedPartners = fabrikam.Id.ToString() };
        db.Jobs.Add(job);
        var models = new[]
        {
            Model("visibility-contoso", contosoDomain.Id, null),
            Model("visibility-fabrikam-job", Guid.NewGuid(), job.Id),
            Model("visibility-unrelated", Guid.NewGuid(), null),
        };
        db.BaseModels.AddRange(models);
        await db.SaveChangesAsync();
        return (models[0].Id, models[1].Id, models[2].Id);
    }

    private static BaseModel Model(string name, Guid sourceDomain, Guid? job) => new()
    {
        Name = name,
        SourceDomainId = sourceDomain,
        SourceDomainName = "label-values-inside",
        PretrainingJobId = job,
        ArchitectureJson = "{}",
        LayersJson = "[]",
        WeightsArtifact = "none",
    };
}
