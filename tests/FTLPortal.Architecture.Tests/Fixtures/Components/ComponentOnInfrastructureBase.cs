using Microsoft.AspNetCore.Components;

namespace FTLPortal.Architecture.Tests.Fixtures.Components;

/// <summary>A component (IComponent directly) whose own code is clean and whose base class is not.</summary>
public sealed class ComponentOnInfrastructureBase : InfrastructureHoldingBase, IComponent
{
    public void Attach(RenderHandle renderHandle)
    {
    }

    public Task SetParametersAsync(ParameterView parameters) => Task.CompletedTask;

    public bool Seeded => Options.SeedDemo;
}
