using System.Reflection;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Learning.Engines;

/// <summary>The engine written in this repository: <see cref="SequentialModel"/> trained by <see cref="Training.Trainer"/>.</summary>
public sealed class BuiltInEngine : ITrainingEngine
{
    public const string EngineName = "builtin";

    public static BuiltInEngine Instance { get; } = new();

    public string Name => EngineName;

    /// <summary>"FTLPortal.Learning" and its informational version (the SDK appends the commit, e.g. 1.0.0+3f2a…).</summary>
    public string Version { get; } = "FTLPortal.Learning " + (typeof(SequentialModel).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");

    public IEngineModel Create(ModelArchitecture architecture, int seed) => new BuiltInModel(SequentialModel.Create(architecture, seed));

    public IEngineModel Create(ModelArchitecture architecture, WeightSet weights) => new BuiltInModel(SequentialModel.Create(architecture, weights));
}
