namespace FTLPortal.Learning.Engines;

/// <summary>The engines available in a process, by name (case-insensitive). The built-in engine is always there.</summary>
public sealed class EngineCatalog
{
    private readonly Dictionary<string, ITrainingEngine> _engines = new(StringComparer.OrdinalIgnoreCase);

    public EngineCatalog(params IEnumerable<ITrainingEngine> engines)
    {
        ArgumentNullException.ThrowIfNull(engines);
        _engines[BuiltInEngine.EngineName] = BuiltInEngine.Instance;
        foreach (ITrainingEngine engine in engines)
        {
            ArgumentNullException.ThrowIfNull(engine);
            _engines[engine.Name] = engine;
        }
    }

    /// <summary>A catalog with only the built-in engine.</summary>
    public static EngineCatalog BuiltInOnly { get; } = new();

    public IReadOnlyList<string> Names => _engines.Keys.Order(StringComparer.Ordinal).ToArray();

    public bool Contains(string name) => _engines.ContainsKey(name);

    /// <summary>The engine called <paramref name="name"/>; null or empty means the built-in one.</summary>
    public ITrainingEngine Get(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return BuiltInEngine.Instance;
        }

        return _engines.TryGetValue(name, out ITrainingEngine? engine)
            ? engine
            : throw new ArgumentException($"No training engine named '{name}' here (available: {string.Join(", ", Names)}).", nameof(name));
    }
}
