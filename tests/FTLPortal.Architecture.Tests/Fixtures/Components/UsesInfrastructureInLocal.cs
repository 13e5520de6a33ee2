using FTLPortal.Infrastructure.Hosting;
using Microsoft.AspNetCore.Components;

namespace FTLPortal.Architecture.Tests.Fixtures.Components;

/// <summary>Names an Infrastructure type only in a method body (a local and a cast), nothing in its signatures.</summary>
public sealed class UsesInfrastructureInLocal : ComponentBase
{
    [Parameter]
    public object? Value { get; set; }

    public bool Seeded { get; private set; }

    protected override void OnParametersSet()
    {
        var options = Value as PortalOptions;
        Seeded = options?.SeedDemo ?? false;
    }
}
