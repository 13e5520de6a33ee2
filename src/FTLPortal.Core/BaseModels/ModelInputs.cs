using System.Text.Json;

namespace FTLPortal.Core.BaseModels;

/// <summary>
/// What a base model's architecture JSON says a target domain must match: the number of input features and the class
/// names. For imported models this is all there is to compare with (they have no source domain).
/// </summary>
public sealed record ModelInputs(int InputSize, IReadOnlyList<string> ClassNames)
{
    /// <summary>Reads <c>inputSize</c> and <c>classNames</c>; an unreadable architecture gives no inputs and no classes.</summary>
    public static ModelInputs FromArchitectureJson(string architectureJson)
    {
        try
        {
            using var document = JsonDocument.Parse(architectureJson);
            var root = document.RootElement;
            var size = root.TryGetProperty("inputSize", out var s) && s.TryGetInt32(out var n) ? n : 0;
            var classes = root.TryGetProperty("classNames", out var c) && c.ValueKind == JsonValueKind.Array
                ? c.EnumerateArray().Select(e => e.GetString() ?? "").ToList()
                : [];
            return new ModelInputs(size, classes);
        }
        catch (JsonException)
        {
            return new ModelInputs(0, []);
        }
    }
}
