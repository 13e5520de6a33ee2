using Bunit;

namespace FTLPortal.Web.Tests.Support;

/// <summary>
/// Base of the component tests: a bUnit context with the portal's test services, disposed asynchronously
/// (MudBlazor's services implement only IAsyncDisposable).
/// </summary>
public abstract class PortalComponentTest : BunitContext, IAsyncLifetime
{
    protected PortalComponentTest()
    {
        this.AddTestServices();
        // As on the portal: components run on an interactive server circuit.
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
