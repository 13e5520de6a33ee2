namespace FTLPortal.Learning.Models;

/// <summary>Max pooling over NCHW rows with a square window; the gradient goes to the first maximum of each window (as PyTorch).</summary>
public sealed class MaxPool2DLayer : ILayer
{
    public MaxPool2DLayer(string name, int channels, int height, int width, int kernelSize, int stride = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegative(stride);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, kernelSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, kernelSize);
        Name = name;
        Channels = channels;
        Height = height;
        Width = width;
        KernelSize = kernelSize;
        Stride = stride == 0 ? kernelSize : stride;
        OutputHeight = ((height - kernelSize) / Stride) + 1;
        OutputWidth = ((width - kernelSize) / Stride) + 1;
    }

    public string Name { get; }

    public string Kind => LayerSpec.MaxPool2DKind;

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public int KernelSize { get; }

    public int Stride { get; }

    public int OutputHeight { get; }

    public int OutputWidth { get; }

    public int InputSize => Channels * Height * Width;

    public int OutputSize => Channels * OutputHeight * OutputWidth;

    public IReadOnlyList<TrainableParameter> Parameters => [];

    public void Forward(ReadOnlySpan<float> input, int rows, Span<float> output)
    {
        int planes = rows * Channels;
        int inPlane = Height * Width;
        int outPlane = OutputHeight * OutputWidth;
        for (int p = 0; p < planes; p++)
        {
            ReadOnlySpan<float> x = input.Slice(p * inPlane, inPlane);
            Span<float> y = output.Slice(p * outPlane, outPlane);
            if (KernelSize == 2 && Stride == 2)
            {
                // The common case, unrolled.
                for (int oy = 0; oy < OutputHeight; oy++)
                {
                    ReadOnlySpan<float> top = x.Slice(2 * oy * Width, Width);
                    ReadOnlySpan<float> bottom = x.Slice(((2 * oy) + 1) * Width, Width);
                    Span<float> target = y.Slice(oy * OutputWidth, OutputWidth);
                    for (int ox = 0; ox < OutputWidth; ox++)
                    {
                        int ix = 2 * ox;
                        target[ox] = MathF.Max(MathF.Max(top[ix], top[ix + 1]), MathF.Max(bottom[ix], bottom[ix + 1]));
                    }
                }

                continue;
            }

            for (int oy = 0; oy < OutputHeight; oy++)
            {
                for (int ox = 0; ox < OutputWidth; ox++)
                {
                    y[(oy * OutputWidth) + ox] = x[ArgMax(x, oy, ox)];
                }
            }
        }
    }

    public void Backward(
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> outputGradient,
        int rows,
        Span<float> inputGradient,
        bool computeParameterGradients)
    {
        if (inputGradient.IsEmpty)
        {
            return;
        }

        int planes = rows * Channels;
        int inPlane = Height * Width;
        int outPlane = OutputHeight * OutputWidth;
        inputGradient[..(planes * inPlane)].Clear();
        for (int p = 0; p < planes; p++)
        {
            ReadOnlySpan<float> x = input.Slice(p * inPlane, inPlane);
            ReadOnlySpan<float> dy = outputGradient.Slice(p * outPlane, outPlane);
            Span<float> dx = inputGradient.Slice(p * inPlane, inPlane);
            for (int oy = 0; oy < OutputHeight; oy++)
            {
                for (int ox = 0; ox < OutputWidth; ox++)
                {
                    // The arg-max is recomputed from the input rather than stored: no per-batch index buffer.
                    dx[ArgMax(x, oy, ox)] += dy[(oy * OutputWidth) + ox];
                }
            }
        }
    }

    private int ArgMax(ReadOnlySpan<float> plane, int oy, int ox)
    {
        int y0 = oy * Stride;
        int x0 = ox * Stride;
        int best = (y0 * Width) + x0;
        float max = plane[best];
        for (int ky = 0; ky < KernelSize; ky++)
        {
            int rowStart = ((y0 + ky) * Width) + x0;
            for (int kx = 0; kx < KernelSize; kx++)
            {
                float v = plane[rowStart + kx];
                if (v > max)
                {
                    max = v;
                    best = rowStart + kx;
                }
            }
        }

        return best;
    }
}
