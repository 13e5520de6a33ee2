using System.Reflection;
using FTLPortal.Learning.Models;

namespace FTLPortal.Learning.Engines;

/// <summary>
/// Loads training engines that the host does not reference at compile time (TorchSharp and its ~600 MB of libtorch): each
/// sub-folder of a plug-in folder holds one plug-in's build output, loaded in its own <see cref="System.Runtime.Loader.AssemblyLoadContext"/>.
/// Its public types implementing a contract (<see cref="ITrainingEngine"/> and whatever else the host asks for) are created,
/// with an <see cref="EngineSettings"/> if their constructor takes one. An engine must build a tiny model before it is
/// offered, so a plug-in whose native libraries do not load is reported in <see cref="EnginePluginSet.Failures"/>, not offered.
/// </summary>
public static class EnginePluginLoader
{
    /// <summary>Loads every plug-in under <paramref name="folder"/>; a missing folder gives an empty set.</summary>
    public static EnginePluginSet Load(string folder, EngineSettings settings, params IReadOnlyList<Type> contracts)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(contracts);
        Type[] wanted = [typeof(ITrainingEngine), .. contracts.Where(c => c != typeof(ITrainingEngine))];
        var instances = new List<object>();
        var failures = new List<EnginePluginFailure>();
        if (!Directory.Exists(folder))
        {
            return new EnginePluginSet(instances, failures);
        }

        foreach (string plugin in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
        {
            try
            {
                instances.AddRange(LoadOne(plugin, settings, wanted));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Anything a broken plug-in throws (a missing native library, a bad image) only takes that plug-in out.
                failures.Add(new EnginePluginFailure(plugin, Describe(ex)));
            }
        }

        return new EnginePluginSet(instances, failures);
    }

    private static List<object> LoadOne(string plugin, EngineSettings settings, Type[] contracts)
    {
        // The plug-in's entry assemblies are those with a .deps.json (their dependencies resolve through it).
        string[] entries = Directory.EnumerateFiles(plugin, "*.deps.json")
            .Select(deps => Path.Combine(plugin, Path.GetFileName(deps)[..^".deps.json".Length] + ".dll"))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (entries.Length == 0)
        {
            throw new FileNotFoundException($"No assembly with a .deps.json in {plugin}.");
        }

        var created = new List<object>();
        foreach (string entry in entries)
        {
            var context = new EnginePluginLoadContext(entry);
            Assembly assembly = context.LoadFromAssemblyPath(entry);
            foreach (Type type in assembly.GetExportedTypes()
                         .Where(t => t is { IsClass: true, IsAbstract: false } && contracts.Any(c => c.IsAssignableFrom(t)))
                         .OrderBy(t => t.FullName, StringComparer.Ordinal))
            {
                object instance = Create(type, settings);
                if (instance is ITrainingEngine engine)
                {
                    Probe(engine);
                }

                created.Add(instance);
            }
        }

        return created;
    }

    private static object Create(Type type, EngineSettings settings) =>
        (type.GetConstructor([typeof(EngineSettings)]) is { } withSettings ? withSettings.Invoke([settings]) : Activator.CreateInstance(type))
        ?? throw new InvalidOperationException($"{type.FullName} could not be created.");

    /// <summary>Builds and drops a one-layer model: this loads the engine's native side, which may be missing or unloadable.</summary>
    private static void Probe(ITrainingEngine engine)
    {
        using IEngineModel model = engine.Create(ModelArchitecture.Mlp(1, [], ["a", "b"]), seed: 0);
    }

    private static string Describe(Exception ex)
    {
        var messages = new List<string>();
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            messages.Add($"{e.GetType().Name}: {e.Message}");
        }

        return string.Join(" ← ", messages);
    }
}
