using FTLPortal.Learning.Tensors;

namespace FTLPortal.Learning.Models;

/// <summary>
/// Batch normalisation per channel (BatchNorm2d for [C, H, W] rows, BatchNorm1d for vectors), PyTorch's defaults: ε = 1e-5,
/// momentum 0.1, running variance updated with the unbiased batch variance. Training normalises with the batch statistics;
/// otherwise with the running ones. Tensors: weight, bias (trained), running_mean, running_var (buffers).
/// With <see cref="LocalStatistics"/> the layer is meant to stay with each partner in federated jobs (FedBN).
/// </summary>
public sealed class BatchNormLayer : WeightAndBiasLayer, IHasTrainingMode, ILayerWithBuffers
{
    private const float Epsilon = 1e-5f;
    private const float Momentum = 0.1f;
    private readonly NamedTensor[] _buffers;
    private readonly double[] _batchMean;
    private readonly double[] _batchInverseStd;

    public BatchNormLayer(string name, int channels, int planeSize, bool localStatistics = false)
        : base(name, CheckedWeightShape(name, channels, planeSize), initialWeight: 1f)
    {
        Channels = channels;
        PlaneSize = planeSize;
        LocalStatistics = localStatistics;
        RunningMean = new NamedTensor($"{name}.running_mean", [channels], new float[channels]);
        RunningVariance = new NamedTensor($"{name}.running_var", [channels], Enumerable.Repeat(1f, channels).ToArray());
        _buffers = [RunningMean, RunningVariance];
        _batchMean = new double[channels];
        _batchInverseStd = new double[channels];
    }

    public override string Kind => LayerSpec.BatchNormKind;

    public int Channels { get; }

    public int PlaneSize { get; }

    public bool LocalStatistics { get; }

    public override int InputSize => Channels * PlaneSize;

    public override int OutputSize => InputSize;

    public bool IsTraining { get; set; }

    public NamedTensor RunningMean { get; }

    public NamedTensor RunningVariance { get; }

    public IReadOnlyList<NamedTensor> Buffers => _buffers;

    public override void Forward(ReadOnlySpan<float> input, int rows, Span<float> output)
    {
        int stride = InputSize;
        for (int c = 0; c < Channels; c++)
        {
            double mean;
            double inverseStd;
            if (IsTraining)
            {
                double sum = 0;
                double sumOfSquares = 0;
                for (int r = 0; r < rows; r++)
                {
                    ReadOnlySpan<float> plane = input.Slice((r * stride) + (c * PlaneSize), PlaneSize);
                    foreach (float x in plane)
                    {
                        sum += x;
                        sumOfSquares += (double)x * x;
                    }
                }

                long n = (long)rows * PlaneSize;
                mean = sum / n;
                double variance = Math.Max(0, (sumOfSquares / n) - (mean * mean));
                inverseStd = 1 / Math.Sqrt(variance + Epsilon);
                _batchMean[c] = mean;
                _batchInverseStd[c] = inverseStd;
                double unbiased = n > 1 ? variance * n / (n - 1) : variance;
                RunningMean.Data[c] = (float)(((1 - Momentum) * RunningMean.Data[c]) + (Momentum * mean));
                RunningVariance.Data[c] = (float)(((1 - Momentum) * RunningVariance.Data[c]) + (Momentum * unbiased));
            }
            else
            {
                mean = RunningMean.Data[c];
                inverseStd = 1 / Math.Sqrt(RunningVariance.Data[c] + Epsilon);
            }

            float scale = (float)(Weight.Data[c] * inverseStd);
            float shift = (float)(Bias.Data[c] - (mean * Weight.Data[c] * inverseStd));
            for (int r = 0; r < rows; r++)
            {
                int offset = (r * stride) + (c * PlaneSize);
                Span<float> y = output.Slice(offset, PlaneSize);
                System.Numerics.Tensors.TensorPrimitives.Multiply(input.Slice(offset, PlaneSize), scale, y);
                System.Numerics.Tensors.TensorPrimitives.Add(y, shift, y);
            }
        }
    }

    public override void Backward(
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> outputGradient,
        int rows,
        Span<float> inputGradient,
        bool computeParameterGradients)
    {
        int stride = InputSize;
        long n = (long)rows * PlaneSize;
        for (int c = 0; c < Channels; c++)
        {
            double mean = IsTraining ? _batchMean[c] : RunningMean.Data[c];
            double inverseStd = IsTraining ? _batchInverseStd[c] : 1 / Math.Sqrt(RunningVariance.Data[c] + Epsilon);
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int r = 0; r < rows; r++)
            {
                int offset = (r * stride) + (c * PlaneSize);
                for (int i = 0; i < PlaneSize; i++)
                {
                    double dy = outputGradient[offset + i];
                    sumDy += dy;
                    sumDyXhat += dy * (input[offset + i] - mean) * inverseStd;
                }
            }

            if (computeParameterGradients)
            {
                WeightGradient[c] = (float)sumDyXhat;
                BiasGradient[c] = (float)sumDy;
            }

            if (inputGradient.IsEmpty)
            {
                continue;
            }

            double gamma = Weight.Data[c];
            for (int r = 0; r < rows; r++)
            {
                int offset = (r * stride) + (c * PlaneSize);
                for (int i = 0; i < PlaneSize; i++)
                {
                    double dy = outputGradient[offset + i];
                    if (IsTraining)
                    {
                        // dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂)): the batch statistics depend on x too.
                        double xhat = (input[offset + i] - mean) * inverseStd;
                        inputGradient[offset + i] = (float)(gamma * inverseStd * (dy - (sumDy / n) - (xhat * sumDyXhat / n)));
                    }
                    else
                    {
                        inputGradient[offset + i] = (float)(gamma * inverseStd * dy);
                    }
                }
            }
        }
    }

    // Runs before the base class allocates the tensors, so bad sizes fail as they always have.
    private static int[] CheckedWeightShape(string name, int channels, int planeSize)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(planeSize);
        return [channels];
    }
}
