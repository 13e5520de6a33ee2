using FTLPortal.Learning.Engines;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Web.Tests.Support;

/// <summary>
/// A second engine for a portal without libtorch: the built-in engine's models under another name, so engine choices per
/// participant can be tested here (the TorchSharp journey runs in FTLPortal.Learning.TorchSharp.Tests and Browser.Tests).
/// </summary>
public sealed class MirrorEngine : ITrainingEngine
{
    public const string EngineName = "mirror";

    public string Name => EngineName;

    public string Version => "Mirror of the built-in engine (tests)";

    public IEngineModel Create(ModelArchitecture architecture, int seed) => BuiltInEngine.Instance.Create(architecture, seed);

    public IEngineModel Create(ModelArchitecture architecture, WeightSet weights) => BuiltInEngine.Instance.Create(architecture, weights);
}
