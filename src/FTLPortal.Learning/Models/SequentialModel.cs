using System.Numerics.Tensors;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Learning.Models;

/// <summary>
/// The built-in CPU backend: a chain of <see cref="ILayer"/>s. Activation and gradient buffers are kept between calls and
/// only grow, so a training loop with a fixed batch size allocates nothing per batch. Not thread-safe.
/// </summary>
public sealed class SequentialModel : ITrainableModel, IHasTrainingMode
{
    // Prediction runs in chunks so a large dataset does not grow the activation buffers without bound.
    private const int PredictionChunkRows = 512;

    private readonly ILayer[] _layers;
    private readonly LayerInfo[] _layerInfos;
    private readonly TrainableParameter[] _parameters;

    // Every saved tensor, trainable or buffer (batch-norm running statistics), with the layer it belongs to.
    private readonly (string Layer, NamedTensor Tensor)[] _tensors;
    private readonly Dictionary<string, NamedTensor> _tensorsByName;
    private bool _isTraining;
    private float[][] _activations = [];
    private float[][] _activationGradients = [];
    private int _capacityRows;

    private SequentialModel(ModelArchitecture architecture, ILayer[] layers)
    {
        Architecture = architecture;
        _layers = layers;
        IReadOnlyList<IReadOnlyList<int>> shapes = architecture.LayerOutputShapes();
        _layerInfos = layers
            .Select((layer, i) => new LayerInfo(
                layer.Name,
                layer.Kind,
                shapes[i],
                layer.Parameters.Sum(p => (long)p.Value.Data.Length),
                layer.Parameters.Select(p => p.Value.Name).Concat(Buffers(layer).Select(b => b.Name)).ToArray()))
            .ToArray();
        _parameters = layers.SelectMany(layer => layer.Parameters).ToArray();
        _tensors = layers
            .SelectMany(layer => layer.Parameters.Select(p => (layer.Name, p.Value)).Concat(Buffers(layer).Select(b => (layer.Name, b))))
            .ToArray();
        _tensorsByName = _tensors.ToDictionary(t => t.Tensor.Name, t => t.Tensor, StringComparer.Ordinal);
    }

    public ModelArchitecture Architecture { get; }

    public IReadOnlyList<LayerInfo> Layers => _layerInfos;

    public IReadOnlyList<ILayer> LayerModules => _layers;

    public IReadOnlyList<TrainableParameter> Parameters => _parameters;

    public long ParameterCount => _parameters.Sum(p => (long)p.Value.Data.Length);

    /// <summary>Training mode for dropout and batch-norm layers; <see cref="Training.Trainer"/> turns it on while it trains.</summary>
    public bool IsTraining
    {
        get => _isTraining;
        set
        {
            _isTraining = value;
            foreach (ILayer layer in _layers)
            {
                if (layer is IHasTrainingMode modal)
                {
                    modal.IsTraining = value;
                }
            }
        }
    }

    /// <summary>Builds the layers and draws He-uniform weights from <paramref name="seed"/> (deterministic).</summary>
    public static SequentialModel Create(ModelArchitecture architecture, int seed)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        var layers = new ILayer[architecture.Layers.Count];
        IReadOnlyList<int> shape = architecture.EffectiveInputShape;
#pragma warning disable CA5394 // Weight initialisation needs a seeded, reproducible generator, not a secure one.
        var random = new Random(seed);
#pragma warning restore CA5394
        for (int i = 0; i < layers.Length; i++)
        {
            LayerSpec spec = architecture.Layers[i];
            layers[i] = LayerFactory.Create(spec, shape, random);
            shape = LayerShapes.Output(spec, shape);
        }

        return new SequentialModel(architecture, layers);
    }

    /// <summary>Creates the model and loads <paramref name="weights"/>, which must cover every parameter.</summary>
    public static SequentialModel Create(ModelArchitecture architecture, WeightSet weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        SequentialModel model = Create(architecture, seed: 0);
        foreach ((_, NamedTensor tensor) in model._tensors)
        {
            if (!weights.Contains(tensor.Name))
            {
                throw new ArgumentException($"The weights have no tensor '{tensor.Name}'.", nameof(weights));
            }
        }

        model.SetWeights(weights);
        return model;
    }

    public WeightSet GetWeights() => new(_tensors.Select(t => t.Tensor.Clone()));

    public WeightSet GetWeights(IEnumerable<string> layerNames)
    {
        ArgumentNullException.ThrowIfNull(layerNames);
        var wanted = new HashSet<string>(layerNames, StringComparer.Ordinal);
        foreach (string name in wanted)
        {
            if (!_layers.Any(l => l.Name == name))
            {
                throw new ArgumentException($"The model has no layer named '{name}'.", nameof(layerNames));
            }
        }

        return new WeightSet(_tensors.Where(t => wanted.Contains(t.Layer)).Select(t => t.Tensor.Clone()));
    }

    public void SetWeights(WeightSet weights)
    {
        ArgumentNullException.ThrowIfNull(weights);

        // Validate everything first so a bad set leaves the model unchanged.
        foreach (NamedTensor tensor in weights)
        {
            if (!_tensorsByName.TryGetValue(tensor.Name, out NamedTensor? own))
            {
                throw new ArgumentException(
                    $"The model has no parameter named '{tensor.Name}' (parameters: {string.Join(", ", _tensorsByName.Keys)}).",
                    nameof(weights));
            }

            if (!own.HasShape(tensor.Shape))
            {
                throw new ArgumentException(
                    $"Tensor '{tensor.Name}' has shape [{string.Join(", ", tensor.Shape)}]; the model expects [{string.Join(", ", own.Shape)}].",
                    nameof(weights));
            }
        }

        foreach (NamedTensor tensor in weights)
        {
            tensor.Data.AsSpan().CopyTo(_tensorsByName[tensor.Name].Data);
        }
    }

    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> features, int rows)
    {
        int inputSize = Architecture.InputSize;
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (features.Length < rows * inputSize)
        {
            throw new ArgumentException($"Expected {rows} × {inputSize} features, got {features.Length} values.", nameof(features));
        }

        EnsureCapacity(rows);
        features[..(rows * inputSize)].CopyTo(_activations[0]);
        for (int i = 0; i < _layers.Length; i++)
        {
            _layers[i].Forward(_activations[i], rows, _activations[i + 1]);
        }

        return _activations[_layers.Length].AsSpan(0, rows * Architecture.OutputSize);
    }

    public void Backward(ReadOnlySpan<float> logitGradient, int rows, IReadOnlySet<string> frozenLayers)
    {
        ArgumentNullException.ThrowIfNull(frozenLayers);
        if (rows > _capacityRows)
        {
            throw new InvalidOperationException("Backward needs a Forward over the same batch first.");
        }

        // Layers below the first trainable one need no input gradient: back-propagation stops there.
        int firstTrainable = -1;
        for (int i = 0; i < _layers.Length && firstTrainable < 0; i++)
        {
            if (_layers[i].Parameters.Count > 0 && !frozenLayers.Contains(_layers[i].Name))
            {
                firstTrainable = i;
            }
        }

        if (firstTrainable < 0)
        {
            return;
        }

        int last = _layers.Length - 1;
        logitGradient[..(rows * Architecture.OutputSize)].CopyTo(_activationGradients[last + 1]);
        for (int i = last; i >= firstTrainable; i--)
        {
            ILayer layer = _layers[i];
            bool trainable = layer.Parameters.Count > 0 && !frozenLayers.Contains(layer.Name);
            Span<float> inputGradient = i > firstTrainable ? _activationGradients[i].AsSpan(0, rows * layer.InputSize) : [];
            layer.Backward(_activations[i], _activationGradients[i + 1], rows, inputGradient, trainable);
        }
    }

    public void PredictProbabilities(ReadOnlySpan<float> features, int rows, Span<float> probabilities)
    {
        int inputSize = Architecture.InputSize;
        int classes = Architecture.OutputSize;
        if (probabilities.Length < rows * classes)
        {
            throw new ArgumentException($"Expected room for {rows} × {classes} probabilities.", nameof(probabilities));
        }

        for (int start = 0; start < rows; start += PredictionChunkRows)
        {
            int count = Math.Min(PredictionChunkRows, rows - start);
            ReadOnlySpan<float> logits = Forward(features.Slice(start * inputSize, count * inputSize), count);
            for (int r = 0; r < count; r++)
            {
                Softmax.Apply(logits.Slice(r * classes, classes), probabilities.Slice((start + r) * classes, classes));
            }
        }
    }

    public int[] Predict(TabularDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.FeatureCount != Architecture.InputSize)
        {
            throw new ArgumentException(
                $"The dataset has {dataset.FeatureCount} features; the model expects {Architecture.InputSize}.", nameof(dataset));
        }

        int classes = Architecture.OutputSize;
        var predictions = new int[dataset.Rows];
        for (int start = 0; start < dataset.Rows; start += PredictionChunkRows)
        {
            int count = Math.Min(PredictionChunkRows, dataset.Rows - start);
            ReadOnlySpan<float> logits = Forward(dataset.Features.AsSpan(start * dataset.FeatureCount, count * dataset.FeatureCount), count);
            for (int r = 0; r < count; r++)
            {
                predictions[start + r] = TensorPrimitives.IndexOfMax(logits.Slice(r * classes, classes));
            }
        }

        return predictions;
    }

    private static IReadOnlyList<NamedTensor> Buffers(ILayer layer) => layer is ILayerWithBuffers stateful ? stateful.Buffers : [];

    private void EnsureCapacity(int rows)
    {
        if (rows <= _capacityRows)
        {
            return;
        }

        _activations = new float[_layers.Length + 1][];
        _activationGradients = new float[_layers.Length + 1][];
        _activations[0] = new float[rows * Architecture.InputSize];
        _activationGradients[0] = new float[rows * Architecture.InputSize];
        for (int i = 0; i < _layers.Length; i++)
        {
            _activations[i + 1] = new float[rows * _layers[i].OutputSize];
            _activationGradients[i + 1] = new float[rows * _layers[i].OutputSize];
        }

        _capacityRows = rows;
    }
}
