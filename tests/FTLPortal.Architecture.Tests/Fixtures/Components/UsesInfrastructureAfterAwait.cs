using FTLPortal.Infrastructure.Hosting;
using Microsoft.AspNetCore.Components;

namespace FTLPortal.Architecture.Tests.Fixtures.Components;

/// <summary>Names an Infrastructure type only in an async method and a lambda: the compiler moves both into nested types.</summary>
public sealed class UsesInfrastructureAfterAwait : ComponentBase
{
    public string Folder { get; private set; } = "";

    public Func<string>? Describe { get; private set; }

    protected override async Task OnInitializedAsync()
    {
        await Task.Yield();
        var paths = new PortalPaths("data");
        Folder = paths.ToString() ?? "";
        Describe = () => paths.GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
