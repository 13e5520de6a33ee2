using FTLPortal.Architecture.Tests.Metadata;
using FTLPortal.Architecture.Tests.Rules;

namespace FTLPortal.Architecture.Tests;

/// <summary>The portal's own assemblies against its layering rules (CheckerSelfTests shows each rule can fail).</summary>
public sealed class LayeringTests
{
    public static TheoryData<string> Subjects()
    {
        var data = new TheoryData<string>();
        foreach (var rule in PortalArchitecture.LayerRules)
        {
            data.Add(rule.Subject);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Subjects))]
    public void Assembly_ReferencesNothingAboveIt_PerDesign(string subject)
    {
        var rule = PortalArchitecture.LayerRule(subject);
        var assembly = InspectedAssembly.Load(PortalArchitecture.PathOf(subject));

        var violations = rule.Check(assembly);

        Assert.True(violations.Count == 0, $"{rule}:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
    }

    [Fact]
    public void Infrastructure_NamesHangfire_OnlyInScheduling()
    {
        var assembly = InspectedAssembly.Load(PortalArchitecture.PathOf("FTLPortal.Infrastructure"));
        // The rule must have something to confine: Scheduling does use Hangfire.
        Assert.Contains(assembly.Types, t => t.Namespace == PortalArchitecture.SchedulingNamespace && t.References.Any(r => PortalArchitecture.Hangfire.Contains(r.Assembly)));

        var violations = PortalArchitecture.HangfireConfinement.Check(assembly);

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void WebComponents_NameNoInfrastructureType()
    {
        var web = typeof(FTLPortal.Web.Common.SignedInComponentBase).Assembly;
        // Sanity: the rule sees the pages (a broken component discovery would pass vacuously).
        var components = ComponentIsolationRule.ComponentTypes(web).Select(t => t.FullName).ToList();
        Assert.Contains("FTLPortal.Web.Account.SignIn", components);
        Assert.Contains("FTLPortal.Web.Domains.DomainsPage", components);
        Assert.Contains("FTLPortal.Web.Layout.MainLayout", components);

        var violations = PortalArchitecture.PagesSeeCoreOnly.Check(web);

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }
}
