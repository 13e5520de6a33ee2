using FTLPortal.Architecture.Tests.Fixtures;
using FTLPortal.Architecture.Tests.Fixtures.Components;
using FTLPortal.Architecture.Tests.Fixtures.Scheduling;
using FTLPortal.Architecture.Tests.Metadata;
using FTLPortal.Architecture.Tests.Rules;

namespace FTLPortal.Architecture.Tests;

/// <summary>
/// Each rule of LayeringTests run on this test assembly, whose Fixtures deliberately break it: the checker must report
/// the violations (so the layering tests can fail) and nothing it should accept.
/// </summary>
public sealed class CheckerSelfTests
{
    private static readonly InspectedAssembly Self = InspectedAssembly.Load(typeof(CheckerSelfTests).Assembly.Location);

    public static TheoryData<string, string> ForbiddenFamilies()
    {
        var data = new TheoryData<string, string>();
        foreach (var rule in PortalArchitecture.LayerRules)
        {
            foreach (var family in rule.Forbidden)
            {
                data.Add(rule.Subject, family.Prefix);
            }
        }

        return data;
    }

    public static TheoryData<string, string> AllowedAssemblies()
    {
        var data = new TheoryData<string, string>();
        foreach (var rule in PortalArchitecture.LayerRules)
        {
            foreach (var allowed in rule.Allowed)
            {
                data.Add(rule.Subject, allowed);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ForbiddenFamilies))]
    public void LayerRule_ReportsForbiddenFamily_WhenAnAssemblyNamesIt(string subject, string family)
    {
        var rule = PortalArchitecture.LayerRule(subject);

        var violations = rule.Check(Self);

        Assert.Contains(violations, v => new AssemblyFamily(family).Contains(v.Reference.Assembly));
    }

    [Theory]
    [MemberData(nameof(AllowedAssemblies))]
    public void LayerRule_AcceptsAllowedAssembly_EvenInsideAForbiddenFamily(string subject, string allowed)
    {
        // The fixture names it, so acceptance is not vacuous.
        Assert.Contains(Self.AssemblyReferences, a => a == allowed);

        var violations = PortalArchitecture.LayerRule(subject).Check(Self);

        Assert.DoesNotContain(violations, v => v.Reference.Assembly == allowed);
    }

    [Fact]
    public void LayerRule_NamesTheTypeAndTheReference_WhenReporting()
    {
        var violations = PortalArchitecture.LayerRule("FTLPortal.Web").Check(Self);

        var violation = Assert.Single(violations, v => v.Owner == typeof(ForbiddenReferences).FullName);
        Assert.Equal(new ReferencedType("Hangfire.Core", "Hangfire.IBackgroundJobClient"), violation.Reference);
    }

    [Fact]
    public void HangfireConfinement_ReportsTypesOutsideTheAllowedNamespace_Only()
    {
        var rule = PortalArchitecture.HangfireConfinement with { AllowedNamespace = typeof(ConfinedHangfireUser).Namespace! };

        var owners = rule.Check(Self).Select(v => v.Owner).ToHashSet();

        // LeakyHangfireUser names Hangfire only as a generic argument of a cast inside a method body.
        Assert.Equal(new HashSet<string> { typeof(ForbiddenReferences).FullName!, typeof(LeakyHangfireUser).FullName! }, owners);
    }

    [Fact]
    public void ComponentIsolation_ReportsComponentsThatNameInfrastructure_Only()
    {
        var violations = PortalArchitecture.PagesSeeCoreOnly.Check(typeof(CheckerSelfTests).Assembly);

        var owners = violations.Select(v => v.Owner).ToHashSet();
        Assert.Equal(
            new HashSet<string>
            {
                typeof(InjectsInfrastructureOptions).FullName!,
                typeof(UsesInfrastructureInLocal).FullName!,
                typeof(UsesInfrastructureAfterAwait).FullName!,
                typeof(ComponentOnInfrastructureBase).FullName!,
            },
            owners);
        // Not reported: the Core-only component, and the Infrastructure users that are not components.
        Assert.DoesNotContain(typeof(CoreOnlyComponent).FullName!, owners);
        Assert.DoesNotContain(typeof(InfrastructureConsumer).FullName!, owners);
    }

    [Fact]
    public void ComponentIsolation_SeesGenericArgumentsNestedTypesAndBaseClasses()
    {
        var violations = PortalArchitecture.PagesSeeCoreOnly.Check(typeof(CheckerSelfTests).Assembly);

        Assert.Contains(violations, v => v.Owner == typeof(InjectsInfrastructureOptions).FullName && v.Reference.FullName == "FTLPortal.Infrastructure.Hosting.PortalOptions");
        // The async method's local lives in the compiler's state machine, the lambda's capture in a display class.
        Assert.Contains(violations, v => v.Owner == typeof(UsesInfrastructureAfterAwait).FullName && v.Via.Contains('+', StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Owner == typeof(ComponentOnInfrastructureBase).FullName && v.Via == typeof(InfrastructureHoldingBase).FullName);
    }
}
