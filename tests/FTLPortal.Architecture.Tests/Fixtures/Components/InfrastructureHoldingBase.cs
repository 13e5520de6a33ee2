using FTLPortal.Infrastructure.Hosting;

namespace FTLPortal.Architecture.Tests.Fixtures.Components;

/// <summary>Not a component itself, but the base of one: the component inherits what it names.</summary>
public abstract class InfrastructureHoldingBase
{
    protected PortalOptions Options { get; } = new();
}
