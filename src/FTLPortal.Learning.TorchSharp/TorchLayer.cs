using FTLPortal.Learning.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace FTLPortal.Learning.TorchSharp;

/// <summary>
/// One layer of an architecture as libtorch tensors: the same kinds, settings and tensor names as the built-in layers
/// ("{name}.weight", "{name}.bias", "{name}.running_mean", "{name}.running_var"), applied with torch.nn.functional.
/// </summary>
internal sealed class TorchLayer : IDisposable
{
    // BatchNorm as the built-in layer and PyTorch's defaults.
    private const double BatchNormMomentum = 0.1;
    private const double BatchNormEpsilon = 1e-5;

    private TorchLayer(LayerSpec spec, IReadOnlyList<int> inputShape, IReadOnlyList<int> outputShape)
    {
        Spec = spec;
        InputShape = inputShape;
        OutputShape = outputShape;
    }

    public LayerSpec Spec { get; }

    public string Name => Spec.Name;

    public IReadOnlyList<int> InputShape { get; }

    public IReadOnlyList<int> OutputShape { get; }

    public Parameter? Weight { get; private set; }

    public Parameter? Bias { get; private set; }

    public Tensor? RunningMean { get; private set; }

    public Tensor? RunningVariance { get; private set; }

    /// <summary>The trained tensors (weight, bias), in saving order.</summary>
    public IEnumerable<Parameter> Parameters => new[] { Weight, Bias }.OfType<Parameter>();

    /// <summary>Every saved tensor with its portal name: parameters first, then buffers (the built-in engine's order).</summary>
    public IEnumerable<(string Name, Tensor Tensor)> Tensors
    {
        get
        {
            if (Weight is not null)
            {
                yield return ($"{Name}.weight", Weight);
            }

            if (Bias is not null)
            {
                yield return ($"{Name}.bias", Bias);
            }

            if (RunningMean is not null)
            {
                yield return ($"{Name}.running_mean", RunningMean);
            }

            if (RunningVariance is not null)
            {
                yield return ($"{Name}.running_var", RunningVariance);
            }
        }
    }

    /// <summary>
    /// Builds the layer with PyTorch's default initialisation (weights and biases ~ U(±1/√fan_in) for dense and conv,
    /// ones and zeros for batch norm) drawn from <paramref name="generator"/>.
    /// </summary>
    public static TorchLayer Create(LayerSpec spec, IReadOnlyList<int> inputShape, Generator generator)
    {
        IReadOnlyList<int> outputShape = LayerShapes.Output(spec, inputShape);
        var layer = new TorchLayer(spec, inputShape, outputShape);
        int width = inputShape.Aggregate(1, (a, b) => a * b);
        switch (spec.Kind)
        {
            case LayerSpec.DenseKind:
                layer.Weight = Uniform([spec.Units, width], width, generator);
                layer.Bias = Uniform([spec.Units], width, generator);
                break;
            case LayerSpec.Conv2DKind:
                int fanIn = inputShape[0] * spec.KernelSize * spec.KernelSize;
                layer.Weight = Uniform([spec.Units, inputShape[0], spec.KernelSize, spec.KernelSize], fanIn, generator);
                layer.Bias = Uniform([spec.Units], fanIn, generator);
                break;
            case LayerSpec.BatchNormKind:
                long channels = inputShape.Count == 3 ? inputShape[0] : width;
                layer.Weight = new Parameter(ones(channels)).DetachFromDisposeScope() as Parameter;
                layer.Bias = new Parameter(zeros(channels)).DetachFromDisposeScope() as Parameter;
                layer.RunningMean = zeros(channels).DetachFromDisposeScope();
                layer.RunningVariance = ones(channels).DetachFromDisposeScope();
                break;
        }

        return layer;
    }

    /// <summary>Applies the layer to a batch ([N, C, H, W] for image inputs, [N, F] otherwise).</summary>
    public Tensor Forward(Tensor x, bool training)
    {
        switch (Spec.Kind)
        {
            case LayerSpec.DenseKind:
                return F.linear(x.dim() > 2 ? x.flatten(1) : x, Weight!, Bias);
            case LayerSpec.ReluKind:
                return F.relu(x);
            case LayerSpec.GeluKind:
                return F.gelu(x);
            case LayerSpec.TanhKind:
                return x.tanh();
            case LayerSpec.FlattenKind:
                return x.flatten(1);
            case LayerSpec.Conv2DKind:
            {
                long stride = Spec.Stride == 0 ? 1 : Spec.Stride;
                return F.conv2d(x, Weight!, Bias, strides: [stride, stride], padding: [Spec.Padding, Spec.Padding]);
            }

            case LayerSpec.MaxPool2DKind:
            {
                long stride = Spec.Stride == 0 ? Spec.KernelSize : Spec.Stride;
                return F.max_pool2d(x, [Spec.KernelSize, Spec.KernelSize], [stride, stride]);
            }

            case LayerSpec.GlobalAveragePoolKind:
                return x.mean([2L, 3L]);
            case LayerSpec.BatchNormKind:
                return F.batch_norm(x, RunningMean!, RunningVariance!, Weight, Bias, training, BatchNormMomentum, BatchNormEpsilon);
            case LayerSpec.DropoutKind:
                return F.dropout(x, Spec.Rate, training);
            default:
                throw new InvalidOperationException($"Layer kind '{Spec.Kind}' has no TorchSharp implementation.");
        }
    }

    public void Dispose()
    {
        Weight?.Dispose();
        Bias?.Dispose();
        RunningMean?.Dispose();
        RunningVariance?.Dispose();
    }

    private static Parameter Uniform(long[] shape, int fanIn, Generator generator)
    {
        double bound = 1.0 / Math.Sqrt(fanIn);
        Tensor values = rand(shape, generator: generator).mul_(2 * bound).sub_(bound);
        var parameter = new Parameter(values);
        parameter.DetachFromDisposeScope();
        return parameter;
    }
}
