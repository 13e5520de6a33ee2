using FTLPortal.Infrastructure.Hosting;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace FTLPortal.Architecture.Tests.Fixtures.Components;

/// <summary>Like <c>@inject IOptions&lt;PortalOptions&gt;</c>: the Infrastructure type is only a generic argument.</summary>
public sealed class InjectsInfrastructureOptions : ComponentBase
{
    [Inject]
    public IOptions<PortalOptions> Options { get; set; } = default!;
}
