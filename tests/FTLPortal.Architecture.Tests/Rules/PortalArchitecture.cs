using System.Reflection;

namespace FTLPortal.Architecture.Tests.Rules;

/// <summary>The portal's layering (DESIGN.md, "Projects and who may use whom") as rules, and where the assemblies are.</summary>
public static class PortalArchitecture
{
    private static readonly AssemblyFamily Portal = new("FTLPortal");
    private static readonly AssemblyFamily AspNetCore = new("Microsoft.AspNetCore");
    private static readonly AssemblyFamily EntityFramework = new("Microsoft.EntityFrameworkCore");
    private static readonly AssemblyFamily Identity = new("Microsoft.Extensions.Identity");
    private static readonly AssemblyFamily DependencyInjection = new("Microsoft.Extensions.DependencyInjection");
    private static readonly AssemblyFamily Logging = new("Microsoft.Extensions.Logging");

    public static AssemblyFamily Hangfire { get; } = new("Hangfire");

    public static AssemblyFamily Infrastructure { get; } = new("FTLPortal.Infrastructure");

    /// <summary>The only namespace of Infrastructure that names Hangfire.</summary>
    public const string SchedulingNamespace = "FTLPortal.Infrastructure.Scheduling";

    public static IReadOnlyList<LayerRule> LayerRules { get; } =
    [
        // Numerics only: nothing of the portal, no DI container, no logging, no web.
        new("FTLPortal.Learning", [Portal, DependencyInjection, Logging, AspNetCore, EntityFramework, Hangfire], []),
        // The federated protocol without a web.
        new("FTLPortal.Federation", [Portal, AspNetCore, EntityFramework, Hangfire], ["FTLPortal.Learning"]),
        new("FTLPortal.Learning.TorchSharp", [Portal, AspNetCore, EntityFramework, Hangfire], ["FTLPortal.Learning"]),
        // The domain model and its interfaces: no EF, Identity, Hangfire or ASP.NET Core.
        new("FTLPortal.Core", [Portal, EntityFramework, Identity, AspNetCore, Hangfire], []),
        // The partner-side program talks to the portal over the wire only.
        new("FTLPortal.Agent", [Portal, EntityFramework, Hangfire], ["FTLPortal.Federation", "FTLPortal.Learning"]),
        // Arrows never point up.
        new("FTLPortal.Infrastructure", [Portal], ["FTLPortal.Core", "FTLPortal.Federation", "FTLPortal.Learning"]),
        // The dashboard mapping lives in Infrastructure/Scheduling; Web names no Hangfire type.
        new("FTLPortal.Web", [Hangfire], []),
    ];

    public static LayerRule LayerRule(string subject) => LayerRules.Single(r => r.Subject == subject);

    public static NamespaceConfinementRule HangfireConfinement { get; } = new(Hangfire, SchedulingNamespace);

    public static ComponentIsolationRule PagesSeeCoreOnly { get; } = new(Infrastructure);

    /// <summary>The built file of a portal assembly: beside the tests, or (Learning.TorchSharp) in its own build output.</summary>
    public static string PathOf(string assemblyName)
    {
        if (assemblyName == "FTLPortal.Learning.TorchSharp")
        {
            return typeof(PortalArchitecture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "TorchSharpEngineAssembly").Value!;
        }

        return Path.Combine(AppContext.BaseDirectory, assemblyName + ".dll");
    }
}
