using System.Text.Json;
using FTLPortal.Core.BaseModels;
using FTLPortal.Learning.Models;

namespace FTLPortal.Infrastructure.BaseModels;

/// <summary>The layers of an architecture as the freeze plan lists them (<see cref="BaseModel.LayersJson"/>).</summary>
internal static class BaseModelLayers
{
    public static string Json(ModelArchitecture architecture) =>
        JsonSerializer.Serialize(SequentialModel.Create(architecture, seed: 0).Layers
            .Select(l => new ModelLayer(l.Name, l.Kind, l.OutputShape, l.ParameterCount))
            .ToList());
}
