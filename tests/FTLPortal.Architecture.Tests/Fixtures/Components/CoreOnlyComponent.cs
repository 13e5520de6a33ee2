using FTLPortal.Core.Domains;
using Microsoft.AspNetCore.Components;

namespace FTLPortal.Architecture.Tests.Fixtures.Components;

/// <summary>What a page should look like: Core interfaces through DI. The rule must not report it.</summary>
public sealed class CoreOnlyComponent : ComponentBase
{
    [Inject]
    public IDomainService Domains { get; set; } = default!;

    public DomainUploadLimits Limits { get; set; } = new(1024);
}
