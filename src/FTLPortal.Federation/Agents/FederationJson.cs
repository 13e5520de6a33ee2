using System.Text.Json;
using System.Text.Json.Serialization;

namespace FTLPortal.Federation.Agents;

/// <summary>
/// The JSON settings for the agent contract on the wire (web defaults: camelCase, byte[] as base64). They add a converter
/// for <see cref="IReadOnlySet{T}"/> of strings, which System.Text.Json serializes but cannot create on its own
/// (<c>TrainingOptions.FrozenLayers</c>).
/// </summary>
public static class FederationJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new ReadOnlyStringSetConverter());
        options.Converters.Add(new JsonStringEnumConverter());
        options.TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver();
        options.MakeReadOnly();
        return options;
    }

    private sealed class ReadOnlyStringSetConverter : JsonConverter<IReadOnlySet<string>>
    {
        public override IReadOnlySet<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException("Expected an array of strings.");
            }

            var set = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                set.Add(reader.GetString() ?? throw new JsonException("A set of strings cannot hold null."));
            }

            return set;
        }

        public override void Write(Utf8JsonWriter writer, IReadOnlySet<string> value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (string item in value.Order(StringComparer.Ordinal))
            {
                writer.WriteStringValue(item);
            }

            writer.WriteEndArray();
        }
    }
}
