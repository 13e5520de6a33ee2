using FTLPortal.Learning.Kernels;

namespace FTLPortal.Learning.Models;

/// <summary>Max pooling over NCHW rows with a square window; the gradient goes to the first maximum of each window (as PyTorch).</summary>
public sealed class MaxPool2DLayer : ParameterFreeLayer
{
    private readonly PoolWork _work;

    public MaxPool2DLayer(string name, int channels, int height, int width, int kernelSize, int stride = 0)
        : base(name, LayerSpec.MaxPool2DKind)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegative(stride);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, kernelSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, kernelSize);
        Channels = channels;
        Height = height;
        Width = width;
        KernelSize = kernelSize;
        Stride = stride == 0 ? kernelSize : stride;
        OutputHeight = ((height - kernelSize) / Stride) + 1;
        OutputWidth = ((width - kernelSize) / Stride) + 1;
        _work = new PoolWork(this);
    }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public int KernelSize { get; }

    public int Stride { get; }

    public int OutputHeight { get; }

    public int OutputWidth { get; }

    public override int InputSize => Channels * Height * Width;

    public override int OutputSize => Channels * OutputHeight * OutputWidth;

    public override unsafe void Forward(ReadOnlySpan<float> input, int rows, Span<float> output)
    {
        if (input.Length < rows * InputSize || output.Length < rows * OutputSize)
        {
            throw new ArgumentException($"MaxPool2D '{Name}' expects {rows} rows of {InputSize} inputs and room for {OutputSize} outputs each.");
        }

        fixed (float* x = input)
        fixed (float* y = output)
        {
            _work.Begin(backward: false, x, y, null, rows * Channels);
            WorkerPool.Shared.Run(_work, rows * InputSize < 65_536 ? 1 : ComputeThreads.Count);
        }
    }

    private protected override unsafe void BackwardInput(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, int rows, Span<float> inputGradient)
    {
        fixed (float* x = input)
        fixed (float* dy = outputGradient)
        fixed (float* dx = inputGradient)
        {
            _work.Begin(backward: true, x, dy, dx, rows * Channels);
            WorkerPool.Shared.Run(_work, rows * InputSize < 65_536 ? 1 : ComputeThreads.Count);
        }
    }

    private void ForwardPlanes(ReadOnlySpan<float> input, int firstPlane, int endPlane, Span<float> output)
    {
        int planes = endPlane;
        int inPlane = Height * Width;
        int outPlane = OutputHeight * OutputWidth;
        for (int p = firstPlane; p < planes; p++)
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

    private void BackwardPlanes(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, int firstPlane, int endPlane, Span<float> inputGradient)
    {
        int inPlane = Height * Width;
        int outPlane = OutputHeight * OutputWidth;
        inputGradient[(firstPlane * inPlane)..(endPlane * inPlane)].Clear();
        for (int p = firstPlane; p < endPlane; p++)
        {
            ReadOnlySpan<float> x = input.Slice(p * inPlane, inPlane);
            ReadOnlySpan<float> dy = outputGradient.Slice(p * outPlane, outPlane);
            Span<float> dx = inputGradient.Slice(p * inPlane, inPlane);
            if (KernelSize == 2 && Stride == 2)
            {
                // The common case, unrolled and branch-free (random data makes the comparisons unpredictable); ties go
                // to the first maximum in row-major order, as in ArgMax. Each window's four gradients are all written.
                for (int oy = 0; oy < OutputHeight; oy++)
                {
                    int top = 2 * oy * Width;
                    int bottom = top + Width;
                    for (int ox = 0; ox < OutputWidth; ox++)
                    {
                        int ix = 2 * ox;
                        float a = x[top + ix];
                        float b = x[top + ix + 1];
                        float c = x[bottom + ix];
                        float e = x[bottom + ix + 1];
                        float g = dy[(oy * OutputWidth) + ox];
                        // Comparisons as 0/1 values (setcc), not branches; k is the winner's index in the window.
                        int k = Bit(b > a);
                        float m = MathF.Max(a, b);
                        k += (2 - k) * Bit(c > m);
                        m = MathF.Max(m, c);
                        k += (3 - k) * Bit(e > m);
                        dx[top + ix] = g * Bit(k == 0);
                        dx[top + ix + 1] = g * Bit(k == 1);
                        dx[bottom + ix] = g * Bit(k == 2);
                        dx[bottom + ix + 1] = g * Bit(k == 3);
                    }
                }

                continue;
            }

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

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int Bit(bool value) => System.Runtime.CompilerServices.Unsafe.BitCast<bool, byte>(value);

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

    // Splits the planes (image × channel) over the worker threads; each plane is independent.
    private sealed unsafe class PoolWork(MaxPool2DLayer layer) : IParallelWork
    {
        private bool _backward;
        private float* _x;
        private float* _yOrDy;
        private float* _dx;
        private int _planes;

        public void Begin(bool backward, float* x, float* yOrDy, float* dx, int planes)
        {
            _backward = backward;
            _x = x;
            _yOrDy = yOrDy;
            _dx = dx;
            _planes = planes;
        }

        public void Execute(int part, int parts)
        {
            int first = (int)((long)_planes * part / parts);
            int end = (int)((long)_planes * (part + 1) / parts);
            int inLength = _planes * layer.Height * layer.Width;
            int outLength = _planes * layer.OutputHeight * layer.OutputWidth;
            var x = new ReadOnlySpan<float>(_x, inLength);
            if (_backward)
            {
                layer.BackwardPlanes(x, new ReadOnlySpan<float>(_yOrDy, outLength), first, end, new Span<float>(_dx, inLength));
            }
            else
            {
                layer.ForwardPlanes(x, first, end, new Span<float>(_yOrDy, outLength));
            }
        }
    }
}
