using System.Reflection;

namespace FTLPortal.Web.Hosting;

/// <summary>
/// Chooses the web root. From a build (dotnet run, tests) it is the repository-root wwwroot/, whose
/// path the build records; a published app uses its own wwwroot/, where publish copied those files.
/// </summary>
public static class PortalWebRoot
{
    public static WebApplicationOptions CreateOptions(string[] args) => new()
    {
        Args = args,
        WebRootPath = SourceWebRootWhenRunningFromBuild(),
    };

    /// <summary>The repository's wwwroot/ when this is a build (not a publish) and the folder exists; otherwise null (the default).</summary>
    public static string? SourceWebRootWhenRunningFromBuild()
    {
        var assembly = typeof(PortalWebRoot).Assembly;
        // Only builds carry the static web assets runtime manifest; publish output does not.
        var runningFromBuild = File.Exists(Path.Combine(AppContext.BaseDirectory, $"{assembly.GetName().Name}.staticwebassets.runtime.json"));
        var source = assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "PortalSourceWebRoot")?.Value;
        return runningFromBuild && source is not null && Directory.Exists(source) ? source : null;
    }
}
