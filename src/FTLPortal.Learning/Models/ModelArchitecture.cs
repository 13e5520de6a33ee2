using System.Text.Json;
using System.Text.Json.Serialization;

namespace FTLPortal.Learning.Models;

/// <summary>A feed-forward architecture: named layers from <see cref="InputSize"/> features to one logit per class.</summary>
public sealed record ModelArchitecture
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public int InputSize { get; init; }

    public IReadOnlyList<string> ClassNames { get; init; } = [];

    public IReadOnlyList<LayerSpec> Layers { get; init; } = [];

    /// <summary>An MLP: dense1, relu1, dense2, relu2, ..., output (a dense layer producing logits).</summary>
    public static ModelArchitecture Mlp(int inputSize, IReadOnlyList<int> hiddenSizes, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        ArgumentNullException.ThrowIfNull(classNames);
        var layers = new List<LayerSpec>();
        for (int i = 0; i < hiddenSizes.Count; i++)
        {
            layers.Add(new LayerSpec($"dense{i + 1}", LayerSpec.DenseKind, hiddenSizes[i]));
            layers.Add(new LayerSpec($"relu{i + 1}", LayerSpec.ReluKind, hiddenSizes[i]));
        }

        layers.Add(new LayerSpec("output", LayerSpec.DenseKind, classNames.Count));
        var architecture = new ModelArchitecture { InputSize = inputSize, ClassNames = classNames.ToArray(), Layers = layers };
        architecture.Validate();
        return architecture;
    }

    public int OutputSize => ClassNames.Count;

    /// <summary>Throws <see cref="ArgumentException"/> when the layers do not chain from the input to one logit per class.</summary>
    public void Validate()
    {
        if (InputSize <= 0)
        {
            throw new ArgumentException($"The input size must be positive (was {InputSize}).");
        }

        if (ClassNames is null || ClassNames.Count < 2)
        {
            throw new ArgumentException("A model needs at least two class names.");
        }

        if (ClassNames.Distinct(StringComparer.Ordinal).Count() != ClassNames.Count)
        {
            throw new ArgumentException("Class names must be distinct.");
        }

        if (Layers is null || Layers.Count == 0)
        {
            throw new ArgumentException("A model needs at least one layer.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        int width = InputSize;
        foreach (LayerSpec layer in Layers)
        {
            if (string.IsNullOrWhiteSpace(layer.Name) || layer.Name.Contains('.', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Layer name '{layer.Name}' is empty or contains a '.'.");
            }

            if (!names.Add(layer.Name))
            {
                throw new ArgumentException($"Layer name '{layer.Name}' is used twice.");
            }

            width = layer.Kind switch
            {
                LayerSpec.DenseKind when layer.Units > 0 => layer.Units,
                LayerSpec.DenseKind => throw new ArgumentException($"Dense layer '{layer.Name}' needs a positive number of units."),
                LayerSpec.ReluKind when layer.Units == 0 || layer.Units == width => width,
                LayerSpec.ReluKind => throw new ArgumentException(
                    $"ReLU layer '{layer.Name}' has {layer.Units} units but its input has {width}."),
                _ => throw new ArgumentException($"Layer '{layer.Name}' has unknown kind '{layer.Kind}' (known: dense, relu)."),
            };
        }

        if (width != ClassNames.Count)
        {
            throw new ArgumentException($"The last layer produces {width} outputs but there are {ClassNames.Count} classes.");
        }
    }

    /// <summary>The output width of each layer, in order.</summary>
    public IReadOnlyList<int> LayerOutputSizes()
    {
        var sizes = new int[Layers.Count];
        int width = InputSize;
        for (int i = 0; i < Layers.Count; i++)
        {
            width = Layers[i].Kind == LayerSpec.ReluKind && Layers[i].Units == 0 ? width : Layers[i].Units;
            sizes[i] = width;
        }

        return sizes;
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static ModelArchitecture FromJson(string json)
    {
        ModelArchitecture architecture = JsonSerializer.Deserialize<ModelArchitecture>(json, JsonOptions)
            ?? throw new ArgumentException("The architecture JSON is null.", nameof(json));
        architecture = architecture with { ClassNames = architecture.ClassNames.ToArray(), Layers = architecture.Layers.ToArray() };
        architecture.Validate();
        return architecture;
    }

    // Records compare lists by reference; architectures are equal when their contents are.
    public bool Equals(ModelArchitecture? other) =>
        other is not null
        && InputSize == other.InputSize
        && ClassNames.SequenceEqual(other.ClassNames, StringComparer.Ordinal)
        && Layers.SequenceEqual(other.Layers);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(InputSize);
        foreach (string name in ClassNames)
        {
            hash.Add(name, StringComparer.Ordinal);
        }

        foreach (LayerSpec layer in Layers)
        {
            hash.Add(layer);
        }

        return hash.ToHashCode();
    }
}
