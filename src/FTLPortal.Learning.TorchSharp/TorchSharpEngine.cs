using System.Reflection;
using FTLPortal.Learning.Engines;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;
using TorchSharp;

namespace FTLPortal.Learning.TorchSharp;

/// <summary>The second training engine: TorchSharp-cpu on libtorch, behind the same seam as the built-in engine.</summary>
public sealed class TorchSharpEngine : ITrainingEngine
{
    public const string EngineName = "torchsharp";

    /// <summary>The libtorch that the referenced TorchSharp-cpu package ships (0.107.0 ships 2.10.0).</summary>
    public const string LibTorchVersion = "2.10.0";

    public TorchSharpEngine(TorchSharpEngineOptions? options = null)
    {
        Options = options ?? new TorchSharpEngineOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(Options.Threads);
        if (Options.Threads > 0)
        {
            torch.set_num_threads(Options.Threads);
        }

        OneDnnSwitch.Set(Options.OneDnn);
    }

    /// <summary>The constructor a host's plug-in loader calls (<see cref="EnginePluginLoader"/>): threads from its configuration.</summary>
    public TorchSharpEngine(EngineSettings settings)
        : this(new TorchSharpEngineOptions { Threads = (settings ?? throw new ArgumentNullException(nameof(settings))).Threads })
    {
    }

    public TorchSharpEngineOptions Options { get; }

    public string Name => EngineName;

    /// <summary>TorchSharp's version (the NuGet version, without the build suffix) and libtorch's.</summary>
    public string Version { get; } = $"TorchSharp {TorchSharpVersion()} / libtorch {LibTorchVersion}";

    public IEngineModel Create(ModelArchitecture architecture, int seed) => new TorchSharpModel(architecture, seed);

    public IEngineModel Create(ModelArchitecture architecture, WeightSet weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var model = new TorchSharpModel(architecture, seed: 0);
        try
        {
            string? missing = model.Layers.SelectMany(l => l.ParameterNames).FirstOrDefault(n => !weights.Contains(n));
            if (missing is not null)
            {
                throw new ArgumentException($"The weights have no tensor '{missing}'.", nameof(weights));
            }

            model.SetWeights(weights);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static string TorchSharpVersion()
    {
        string version = typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown";
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
