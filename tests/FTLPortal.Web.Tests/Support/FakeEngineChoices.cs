using FTLPortal.Core.Jobs;

namespace FTLPortal.Web.Tests.Support;

/// <summary>The engines a component test's portal has (the built-in one unless a test sets more).</summary>
public sealed class FakeEngineChoices : IEngineChoices
{
    public IReadOnlyList<EngineChoice> Available { get; set; } = [new(FineTuningParameters.BuiltInEngine, "FTLPortal.Learning test")];
}
