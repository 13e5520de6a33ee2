using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Learning.Engines;

/// <summary>
/// A training engine: builds a model from the portal's architecture JSON and a <see cref="WeightSet"/> (same tensor names on
/// every engine) and trains and evaluates it. Engines are chosen by <see cref="Name"/> through an <see cref="EngineCatalog"/>.
/// </summary>
public interface ITrainingEngine
{
    /// <summary>The name jobs and agents choose the engine by, e.g. "builtin" or "torchsharp".</summary>
    string Name { get; }

    /// <summary>What the model card records, e.g. "TorchSharp 0.107.0 / libtorch 2.10.0".</summary>
    string Version { get; }

    /// <summary>A model with initial weights drawn from <paramref name="seed"/> (deterministic per engine).</summary>
    IEngineModel Create(ModelArchitecture architecture, int seed);

    /// <summary>A model holding <paramref name="weights"/>, which must name every tensor of the architecture.</summary>
    IEngineModel Create(ModelArchitecture architecture, WeightSet weights);
}
