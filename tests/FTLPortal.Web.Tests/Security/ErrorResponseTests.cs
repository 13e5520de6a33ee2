using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FTLPortal.Core.Domains;
using FTLPortal.Infrastructure.Identity;
using FTLPortal.Web.Tests.Support;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Web.Tests.Security;

/// <summary>Finding 9: the environment variable decides the environment; API errors are problem details without paths; bad bodies are 400s.</summary>
public sealed class ErrorResponseTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public void LaunchProfile_DoesNotOverrideAspNetCoreEnvironment_WhenRunWithDotnetRun()
    {
        // dotnet run applies the profile's variables over the shell's: a profile ASPNETCORE_ENVIRONMENT would beat
        // ASPNETCORE_ENVIRONMENT=Production. DOTNET_ENVIRONMENT is read first and ASPNETCORE_ENVIRONMENT wins over it.
        using var settings = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("src/FTLPortal.Web/Properties/launchSettings.json")));
        foreach (var profile in settings.RootElement.GetProperty("profiles").EnumerateObject())
        {
            if (profile.Value.TryGetProperty("environmentVariables", out var variables))
            {
                Assert.False(variables.TryGetProperty("ASPNETCORE_ENVIRONMENT", out _), $"profile '{profile.Name}' sets ASPNETCORE_ENVIRONMENT");
            }
        }
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task ApiError_IsProblemDetailsWithoutPathsOrStackTrace_WhenServiceThrows(string environment)
    {
        // Nothing seeded: the seeder would register domains through the failing service.
        using var portal = new PortalFactory { EnvironmentName = environment, SeedDemo = false };
        using var failing = portal.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IDomainService, FailingDomainService>()));
        await using (var scope = failing.Services.CreateAsyncScope())
        {
            await DemoUserSeeder.SeedAsync(scope.ServiceProvider, [], PortalFactory.DemoPassword);
        }

        using var client = failing.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        using (var signIn = await PortalFactory.PostSignInAsync(client, PortalFactory.Scientist, PortalFactory.DemoPassword))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        using var response = await client.GetAsync(new Uri("/api/domains", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("secret-patients", body, StringComparison.Ordinal);
        Assert.DoesNotContain("/srv/ftl", body, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("IOException", body, StringComparison.Ordinal);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(500, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("traceId", out _));
    }

    [Theory]
    [InlineData("/api/similarity", """{"domainIds":null}""", "domainIds")]
    [InlineData("/api/similarity", "null", null)]
    [InlineData("/api/similarity", """{"domainIds":["not-a-guid"]}""", "domainIds")]
    [InlineData("/api/similarity", """{"domainIds":""", null)]
    [InlineData("/api/jobs/fine-tuning", """{"name":"x"}""", "parameters")]
    [InlineData("/api/jobs/fine-tuning", """{"name":"x","parameters":null}""", null)]
    [InlineData("/api/jobs/fine-tuning", """{"name":"x","parameters":{"frozenLayers":null}}""", "frozenLayers")]
    [InlineData("/api/jobs/fine-tuning", """{"name":"x","parameters":{"targetDomainIds":null}}""", "targetDomainIds")]
    [InlineData("/api/models/pretrain", """{"modelName":"m","hiddenSizes":null}""", "hiddenSizes")]
    [InlineData("/api/models/pretrain", """{"modelName":null}""", "modelName")]
    public async Task Post_Returns400ProblemDetails_WhenBodyHasNullOrMissingFields(string path, string json, string? mentioned)
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await scientist.PostAsync(new Uri(path, UriKind.Relative), content);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        if (mentioned is not null)
        {
            Assert.Contains(mentioned, problem.GetProperty("detail").GetString() ?? "", StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task PutConsent_Returns400_WhenAFieldIsMissing()
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        using var content = new StringContent("""{"similarity":true}""", Encoding.UTF8, "application/json");

        using var response = await scientist.PutAsync(new Uri($"/api/domains/{Guid.NewGuid()}/consent", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task UnknownApiPath_IsProblemDetails_WhenNotFound()
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);

        using var response = await scientist.GetAsync(new Uri("/api/nothing-here", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
