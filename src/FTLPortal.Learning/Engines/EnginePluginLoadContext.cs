using System.Reflection;
using System.Runtime.Loader;

namespace FTLPortal.Learning.Engines;

/// <summary>
/// One plug-in's own load context: its assemblies and native libraries resolve from its folder (through its .deps.json),
/// except those the host already has, which are shared, so the seam's types (<see cref="ITrainingEngine"/>) are the host's.
/// </summary>
internal sealed class EnginePluginLoadContext : AssemblyLoadContext
{
    private static readonly Lazy<HashSet<string>> HostAssemblies = new(ReadHostAssemblies);

    private readonly AssemblyDependencyResolver _resolver;

    public EnginePluginLoadContext(string mainAssemblyPath)
        : base("engine plug-in " + Path.GetFileNameWithoutExtension(mainAssemblyPath))
    {
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is { } name && HostAssemblies.Value.Contains(name))
        {
            return null; // the default context's copy
        }

        string? path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string? path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    /// <summary>The host's trusted platform assemblies (its own and the framework's) and whatever it has loaded already.</summary>
    private static HashSet<string> ReadHostAssemblies()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string trusted)
        {
            foreach (string file in trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                names.Add(Path.GetFileNameWithoutExtension(file));
            }
        }

        foreach (Assembly loaded in Default.Assemblies)
        {
            if (loaded.GetName().Name is { } name)
            {
                names.Add(name);
            }
        }

        return names;
    }
}
