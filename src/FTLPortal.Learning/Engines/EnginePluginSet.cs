namespace FTLPortal.Learning.Engines;

/// <summary>What <see cref="EnginePluginLoader"/> found: the plug-ins' engines, their other contract instances, and the failures.</summary>
public sealed class EnginePluginSet
{
    internal EnginePluginSet(IReadOnlyList<object> instances, IReadOnlyList<EnginePluginFailure> failures)
    {
        Instances = instances;
        Failures = failures;
    }

    /// <summary>Engines a host has without loading them from a folder (compiled in, or a test's own).</summary>
    public EnginePluginSet(IEnumerable<ITrainingEngine> engines)
        : this([.. (engines ?? throw new ArgumentNullException(nameof(engines))).Cast<object>()], [])
    {
    }

    /// <summary>Every instance created, in folder and type-name order.</summary>
    public IReadOnlyList<object> Instances { get; }

    public IReadOnlyList<EnginePluginFailure> Failures { get; }

    public IReadOnlyList<ITrainingEngine> Engines => Instances.OfType<ITrainingEngine>().ToArray();

    /// <summary>The instances implementing <typeparamref name="T"/> (one of the contracts the loader was given).</summary>
    public IReadOnlyList<T> OfType<T>() => Instances.OfType<T>().ToArray();

    /// <summary>A catalog of the built-in engine and the plug-ins' engines.</summary>
    public EngineCatalog Catalog() => new(Engines);
}
