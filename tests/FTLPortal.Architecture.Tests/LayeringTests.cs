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

    public static TheoryData<string> PortalPrograms() => ["FTLPortal.Learning", "FTLPortal.Federation", "FTLPortal.Core", "FTLPortal.Infrastructure", "FTLPortal.Web", "FTLPortal.Agent"];

    [Theory]
    [MemberData(nameof(PortalPrograms))]
    public void Assembly_DoesNotReferenceTheTorchSharpEngine_WhichLoadsAsAPlugIn(string subject)
    {
        // Sanity: references are read, and the engine does name TorchSharp (so an absence below means something).
        Assert.Contains("TorchSharp", InspectedAssembly.Load(PortalArchitecture.PathOf("FTLPortal.Learning.TorchSharp")).AssemblyReferences);

        var references = InspectedAssembly.Load(PortalArchitecture.PathOf(subject)).AssemblyReferences;

        // The portal and the agent load it from engines/ (EnginePluginLoader); a compile-time reference would copy libtorch.
        Assert.DoesNotContain("FTLPortal.Learning.TorchSharp", references);
        Assert.DoesNotContain("TorchSharp", references);
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
