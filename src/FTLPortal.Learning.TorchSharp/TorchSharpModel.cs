using FTLPortal.Learning.Data;
using FTLPortal.Learning.Engines;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace FTLPortal.Learning.TorchSharp;

/// <summary>
/// An architecture run by libtorch through TorchSharp: the same layers and tensor names as <see cref="SequentialModel"/>, trained
/// with torch.optim. Every step runs in its own dispose scope, so native memory stays flat over a long job. Not thread-safe;
/// a dispose scope never spans an await (nothing here is async).
/// </summary>
public sealed class TorchSharpModel : IEngineModel
{
    private const int PredictionChunkRows = 512;

    private readonly TorchLayer[] _layers;
    private readonly LayerInfo[] _layerInfos;
    private readonly Dictionary<string, Tensor> _tensorsByName;
    private readonly long[] _inputShape;
    private bool _disposed;

    internal TorchSharpModel(ModelArchitecture architecture, int seed)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        Architecture = architecture;
        _inputShape = architecture.EffectiveInputShape.Select(d => (long)d).ToArray();
        using var generator = new Generator((ulong)seed);
        var layers = new List<TorchLayer>();
        IReadOnlyList<int> shape = architecture.EffectiveInputShape;
        foreach (LayerSpec spec in architecture.Layers)
        {
            TorchLayer layer = TorchLayer.Create(spec, shape, generator);
            layers.Add(layer);
            shape = layer.OutputShape;
        }

        _layers = [.. layers];
        _layerInfos = _layers
            .Select(l => new LayerInfo(
                l.Name,
                l.Spec.Kind,
                l.OutputShape,
                l.Parameters.Sum(p => p.numel()),
                l.Tensors.Select(t => t.Name).ToArray()))
            .ToArray();
        _tensorsByName = _layers.SelectMany(l => l.Tensors).ToDictionary(t => t.Name, t => t.Tensor, StringComparer.Ordinal);
    }

    public ModelArchitecture Architecture { get; }

    public IReadOnlyList<LayerInfo> Layers => _layerInfos;

    public WeightSet GetWeights() => new(_layers.SelectMany(l => l.Tensors).Select(t => ToNamedTensor(t.Name, t.Tensor)));

    public WeightSet GetWeights(IEnumerable<string> layerNames)
    {
        ArgumentNullException.ThrowIfNull(layerNames);
        var wanted = new HashSet<string>(layerNames, StringComparer.Ordinal);
        string? unknown = wanted.FirstOrDefault(n => !_layers.Any(l => l.Name == n));
        if (unknown is not null)
        {
            throw new ArgumentException($"The model has no layer named '{unknown}'.", nameof(layerNames));
        }

        return new(_layers.Where(l => wanted.Contains(l.Name)).SelectMany(l => l.Tensors).Select(t => ToNamedTensor(t.Name, t.Tensor)));
    }

    public void SetWeights(WeightSet weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ObjectDisposedException.ThrowIf(_disposed, this);

        // Validate everything first so a bad set leaves the model unchanged.
        foreach (NamedTensor tensor in weights)
        {
            if (!_tensorsByName.TryGetValue(tensor.Name, out Tensor? own))
            {
                throw new ArgumentException(
                    $"The model has no parameter named '{tensor.Name}' (parameters: {string.Join(", ", _tensorsByName.Keys)}).", nameof(weights));
            }

            if (!own.shape.Select(d => (int)d).SequenceEqual(tensor.Shape))
            {
                throw new ArgumentException(
                    $"Tensor '{tensor.Name}' has shape [{string.Join(", ", tensor.Shape)}]; the model expects [{string.Join(", ", own.shape)}].", nameof(weights));
            }
        }

        using (NewDisposeScope())
        using (no_grad())
        {
            foreach (NamedTensor named in weights)
            {
                _tensorsByName[named.Name].copy_(tensor(named.Data, named.Shape.Select(d => (long)d).ToArray()));
            }
        }
    }

    public void PredictProbabilities(ReadOnlySpan<float> features, int rows, Span<float> probabilities)
    {
        int inputSize = Architecture.InputSize;
        int classes = Architecture.OutputSize;
        if (features.Length < rows * inputSize)
        {
            throw new ArgumentException($"Expected {rows} × {inputSize} features, got {features.Length} values.", nameof(features));
        }

        if (probabilities.Length < rows * classes)
        {
            throw new ArgumentException($"Expected room for {rows} × {classes} probabilities.", nameof(probabilities));
        }

        for (int start = 0; start < rows; start += PredictionChunkRows)
        {
            int count = Math.Min(PredictionChunkRows, rows - start);
            using (NewDisposeScope())
            using (no_grad())
            {
                Tensor logits = Forward(Batch(features.Slice(start * inputSize, count * inputSize), count), training: false);
                F.softmax(logits, 1).data<float>().CopyTo(probabilities.Slice(start * classes, count * classes));
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

        var predictions = new int[dataset.Rows];
        for (int start = 0; start < dataset.Rows; start += PredictionChunkRows)
        {
            int count = Math.Min(PredictionChunkRows, dataset.Rows - start);
            using (NewDisposeScope())
            using (no_grad())
            {
                Tensor logits = Forward(Batch(dataset.Features.AsSpan(start * dataset.FeatureCount, count * dataset.FeatureCount), count), training: false);
                long[] best = logits.argmax(1).data<long>().ToArray();
                for (int r = 0; r < count; r++)
                {
                    predictions[start + r] = (int)best[r];
                }
            }
        }

        return predictions;
    }

    public TrainingHistory Train(TabularDataset train, TrainingOptions options, Action<EpochMetrics>? onEpoch = null, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return TorchTrainingLoop.Run(this, train, options, onEpoch, ct);
    }

    public EvaluationResult Evaluate(TabularDataset dataset) => Evaluator.Evaluate(this, dataset);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (TorchLayer layer in _layers)
        {
            layer.Dispose();
        }
    }

    internal IReadOnlyList<TorchLayer> TorchLayers => _layers;

    /// <summary>Rows of features as an input batch of the architecture's shape (a copy).</summary>
    internal Tensor Batch(ReadOnlySpan<float> features, int rows) =>
        tensor(features.ToArray(), [rows, .. _inputShape]);

    /// <summary>The whole dataset as one tensor of the architecture's input shape.</summary>
    internal Tensor DatasetTensor(TabularDataset dataset) => tensor(dataset.Features, [dataset.Rows, .. _inputShape]);

    internal Tensor Forward(Tensor x, bool training)
    {
        foreach (TorchLayer layer in _layers)
        {
            x = layer.Forward(x, training);
        }

        return x;
    }

    private static NamedTensor ToNamedTensor(string name, Tensor value)
    {
        using (NewDisposeScope())
        {
            float[] data = value.detach().contiguous().data<float>().ToArray();
            return new NamedTensor(name, value.shape.Select(d => (int)d).ToArray(), data);
        }
    }
}
