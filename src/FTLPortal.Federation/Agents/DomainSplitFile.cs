using System.Text.Json;
using FTLPortal.Learning.Data;

namespace FTLPortal.Federation.Agents;

/// <summary>Reads and writes a domain's fixed <see cref="DomainSplit"/> (<c>{domainId}.split.json</c> beside its data).</summary>
internal static class DomainSplitFile
{
    public const string Extension = ".split.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static string Serialize(DomainSplit split) => JsonSerializer.Serialize(split, Json);

    public static async Task<DomainSplit?> ReadAsync(string path, int rows, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        DomainSplit? split = JsonSerializer.Deserialize<DomainSplit>(await File.ReadAllTextAsync(path, ct).ConfigureAwait(false), Json);
        if (split is null || split.Rows != rows || split.Folds.Count != rows || split.Ranks.Count != rows)
        {
            throw new DatasetFormatException($"The stored split '{Path.GetFileName(path)}' does not match the domain's {rows} rows.");
        }

        return split;
    }
}
