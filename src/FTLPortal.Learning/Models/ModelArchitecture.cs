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

    /// <summary>The per-row input shape, e.g. [1, 28, 28] for grey images (NCHW rows); null means the flat [InputSize].</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<int>? InputShape { get; init; }

    /// <summary>The input shape used for shape inference: <see cref="InputShape"/> or [InputSize].</summary>
    [JsonIgnore]
    public IReadOnlyList<int> EffectiveInputShape => InputShape is { Count: > 0 } shape ? shape : [InputSize];

    /// <summary>
    /// The LeNet-style CNN of the benchmarks: conv c→8 3×3 pad 1, ReLU, max-pool 2, conv 8→16 3×3 pad 1, ReLU, max-pool 2,
    /// flatten, dense 64, ReLU, dense to the classes.
    /// </summary>
    public static ModelArchitecture SmallCnn(int channels, int height, int width, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        var architecture = new ModelArchitecture
        {
            InputSize = channels * height * width,
            InputShape = [channels, height, width],
            ClassNames = classNames.ToArray(),
            Layers =
            [
                LayerSpec.Conv2D("conv1", 8, 3, padding: 1),
                LayerSpec.Relu("relu1"),
                LayerSpec.MaxPool2D("pool1", 2),
                LayerSpec.Conv2D("conv2", 16, 3, padding: 1),
                LayerSpec.Relu("relu2"),
                LayerSpec.MaxPool2D("pool2", 2),
                LayerSpec.Flatten("flatten"),
                LayerSpec.Dense("dense1", 64),
                LayerSpec.Relu("relu3"),
                LayerSpec.Dense("output", classNames.Count),
            ],
        };
        architecture.Validate();
        return architecture;
    }

    /// <summary>Layers whose tensors stay with each partner in federated jobs (BatchNorm with <see cref="LayerSpec.LocalStatistics"/>).</summary>
    public IReadOnlyList<string> LocalLayerNames() =>
        Layers.Where(l => l.Kind == LayerSpec.BatchNormKind && l.LocalStatistics).Select(l => l.Name).ToArray();

    /// <summary>The per-row output shape of each layer, in order ([C, H, W] or [N]).</summary>
    public IReadOnlyList<IReadOnlyList<int>> LayerOutputShapes()
    {
        var shapes = new IReadOnlyList<int>[Layers.Count];
        IReadOnlyList<int> shape = EffectiveInputShape;
        for (int i = 0; i < Layers.Count; i++)
        {
            shape = LayerShapes.Output(Layers[i], shape);
            shapes[i] = shape;
        }

        return shapes;
    }

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

        if (InputShape is { Count: > 0 } && (InputShape.Any(d => d <= 0) || LayerShapes.Size(InputShape) != InputSize))
        {
            throw new ArgumentException($"The input shape [{string.Join(", ", InputShape)}] does not hold {InputSize} features.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyList<int> shape = EffectiveInputShape;
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

            shape = LayerShapes.Output(layer, shape);
        }

        int width = LayerShapes.Size(shape);
        if (width != ClassNames.Count)
        {
            throw new ArgumentException($"The last layer produces {width} outputs but there are {ClassNames.Count} classes.");
        }
    }

    /// <summary>The output width of each layer, in order.</summary>
    public IReadOnlyList<int> LayerOutputSizes() => LayerOutputShapes().Select(LayerShapes.Size).ToArray();

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static ModelArchitecture FromJson(string json)
    {
        ModelArchitecture architecture = JsonSerializer.Deserialize<ModelArchitecture>(json, JsonOptions)
            ?? throw new ArgumentException("The architecture JSON is null.", nameof(json));
        architecture = architecture with
        {
            ClassNames = architecture.ClassNames.ToArray(),
            Layers = architecture.Layers.ToArray(),
            InputShape = architecture.InputShape?.ToArray(),
        };
        architecture.Validate();
        return architecture;
    }

    // Records compare lists by reference; architectures are equal when their contents are.
    public bool Equals(ModelArchitecture? other) =>
        other is not null
        && InputSize == other.InputSize
        && ClassNames.SequenceEqual(other.ClassNames, StringComparer.Ordinal)
        && Layers.SequenceEqual(other.Layers)
        && EffectiveInputShape.SequenceEqual(other.EffectiveInputShape);

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

        foreach (int d in EffectiveInputShape)
        {
            hash.Add(d);
        }

        return hash.ToHashCode();
    }
}
