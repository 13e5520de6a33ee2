using System.Numerics.Tensors;
using FTLPortal.Learning.Kernels;

namespace FTLPortal.Learning.Models;

/// <summary>
/// 2-D convolution over NCHW rows (each row is one image, channels × height × width) with square kernels, stride and zero
/// padding. Weight [out, in, k, k] and bias [out] match PyTorch's Conv2d. Each image is lowered to columns (im2col) and
/// multiplied with <see cref="Gemm"/>; images are split over <see cref="ComputeThreads"/>.
/// </summary>
public sealed class Conv2DLayer : WeightAndBiasLayer
{
    private readonly ConvWork _work;

    public Conv2DLayer(string name, int inChannels, int height, int width, int outChannels, int kernelSize, int stride = 1, int padding = 0)
        : base(name, CheckedWeightShape(name, inChannels, height, width, outChannels, kernelSize, stride, padding), initialWeight: 0f)
    {
        OutputHeight = ((height + (2 * padding) - kernelSize) / stride) + 1;
        OutputWidth = ((width + (2 * padding) - kernelSize) / stride) + 1;
        InChannels = inChannels;
        Height = height;
        Width = width;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        _work = new ConvWork(this);
    }

    public override string Kind => LayerSpec.Conv2DKind;

    public int InChannels { get; }

    public int Height { get; }

    public int Width { get; }

    public int OutChannels { get; }

    public int KernelSize { get; }

    public int Stride { get; }

    public int Padding { get; }

    public int OutputHeight { get; }

    public int OutputWidth { get; }

    public override int InputSize => InChannels * Height * Width;

    public override int OutputSize => OutChannels * OutputHeight * OutputWidth;

    // Rows of the lowered input: one per (input channel, kernel row, kernel column).
    private int ColumnRows => InChannels * KernelSize * KernelSize;

    private int Pixels => OutputHeight * OutputWidth;

    /// <summary>Kaiming/He uniform with fan-in = in × k × k; zero bias.</summary>
    public void InitializeHeUniform(Random random) => InitializeHeUniform(random, ColumnRows);

    public override unsafe void Forward(ReadOnlySpan<float> input, int rows, Span<float> output)
    {
        CheckLengths(input.Length, output.Length, rows);
        fixed (float* x = input)
        fixed (float* y = output)
        {
            _work.Begin(ConvWork.Mode.Forward, x, null, y, null, rows, computeParameterGradients: false);
            WorkerPool.Shared.Run(_work, Math.Min(rows, ComputeThreads.Count));
        }
    }

    public override unsafe void Backward(
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> outputGradient,
        int rows,
        Span<float> inputGradient,
        bool computeParameterGradients)
    {
        CheckLengths(input.Length, outputGradient.Length, rows);
        if (!computeParameterGradients && inputGradient.IsEmpty)
        {
            return;
        }

        int parts = Math.Min(rows, ComputeThreads.Count);
        fixed (float* x = input)
        fixed (float* dy = outputGradient)
        fixed (float* dx = inputGradient)
        {
            _work.Begin(ConvWork.Mode.Backward, x, dy, null, inputGradient.IsEmpty ? null : dx, rows, computeParameterGradients);
            WorkerPool.Shared.Run(_work, parts);
        }

        if (computeParameterGradients)
        {
            // Sum the per-part partial gradients in part order: deterministic for a given thread count.
            _work.ReduceGradients(Math.Max(1, parts), WeightGradient, BiasGradient);
        }
    }

    // Runs before the base class allocates the tensors, so bad sizes fail as they always have.
    private static int[] CheckedWeightShape(string name, int inChannels, int height, int width, int outChannels, int kernelSize, int stride, int padding)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        if (height + (2 * padding) < kernelSize || width + (2 * padding) < kernelSize)
        {
            throw new ArgumentException($"Conv2D '{name}': a {kernelSize}×{kernelSize} kernel does not fit a padded {height}×{width} input.");
        }

        return [outChannels, inChannels, kernelSize, kernelSize];
    }

    private void CheckLengths(int inputLength, int otherLength, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (inputLength < rows * InputSize)
        {
            throw new ArgumentException($"Conv2D '{Name}' expects {rows} × {InputSize} input values, got {inputLength}.");
        }

        if (otherLength < rows * OutputSize)
        {
            throw new ArgumentException($"Conv2D '{Name}' expects {rows} × {OutputSize} output values, got {otherLength}.");
        }
    }

    /// <summary>
    /// Writes the [in·k·k, outH·outW] column matrix of one image (zeros where the kernel overlaps the padding); rows are
    /// <paramref name="columnStride"/> apart so several images can sit side by side in one matrix.
    /// </summary>
    internal static void Im2Col(ReadOnlySpan<float> image, int channels, int height, int width, int kernel, int stride, int padding, int outHeight, int outWidth, Span<float> columns, int columnStride)
    {
        int pixels = outHeight * outWidth;
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> plane = image.Slice(c * height * width, height * width);
            for (int ky = 0; ky < kernel; ky++)
            {
                for (int kx = 0; kx < kernel; kx++)
                {
                    Span<float> row = columns.Slice((((c * kernel) + ky) * kernel + kx) * columnStride, pixels);
                    for (int oy = 0; oy < outHeight; oy++)
                    {
                        int iy = (oy * stride) - padding + ky;
                        Span<float> target = row.Slice(oy * outWidth, outWidth);
                        if ((uint)iy >= (uint)height)
                        {
                            target.Clear();
                            continue;
                        }

                        ReadOnlySpan<float> source = plane.Slice(iy * width, width);
                        int ix0 = kx - padding;
                        if (stride == 1)
                        {
                            // Contiguous run: clear the padded ends, copy the middle.
                            int first = Math.Max(0, -ix0);
                            int last = Math.Min(outWidth, width - ix0);
                            target[..first].Clear();
                            if (last > first)
                            {
                                source.Slice(ix0 + first, last - first).CopyTo(target[first..]);
                                target[last..].Clear();
                            }
                            else
                            {
                                target.Clear();
                            }
                        }
                        else
                        {
                            for (int ox = 0; ox < outWidth; ox++)
                            {
                                int ix = ix0 + (ox * stride);
                                target[ox] = (uint)ix < (uint)width ? source[ix] : 0f;
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Adds the column gradients back onto the image gradient (the transpose of <see cref="Im2Col"/>).</summary>
    internal static void Col2ImAdd(ReadOnlySpan<float> columns, int columnStride, int channels, int height, int width, int kernel, int stride, int padding, int outHeight, int outWidth, Span<float> image)
    {
        int pixels = outHeight * outWidth;
        for (int c = 0; c < channels; c++)
        {
            Span<float> plane = image.Slice(c * height * width, height * width);
            for (int ky = 0; ky < kernel; ky++)
            {
                for (int kx = 0; kx < kernel; kx++)
                {
                    ReadOnlySpan<float> row = columns.Slice((((c * kernel) + ky) * kernel + kx) * columnStride, pixels);
                    for (int oy = 0; oy < outHeight; oy++)
                    {
                        int iy = (oy * stride) - padding + ky;
                        if ((uint)iy >= (uint)height)
                        {
                            continue;
                        }

                        ReadOnlySpan<float> source = row.Slice(oy * outWidth, outWidth);
                        Span<float> target = plane.Slice(iy * width, width);
                        int ix0 = kx - padding;
                        if (stride == 1)
                        {
                            int first = Math.Max(0, -ix0);
                            int last = Math.Min(outWidth, width - ix0);
                            if (last > first)
                            {
                                Span<float> t = target.Slice(ix0 + first, last - first);
                                TensorPrimitives.Add(t, source[first..last], t);
                            }
                        }
                        else
                        {
                            for (int ox = 0; ox < outWidth; ox++)
                            {
                                int ix = ix0 + (ox * stride);
                                if ((uint)ix < (uint)width)
                                {
                                    target[ix] += source[ox];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // The per-call state handed to the worker threads, with per-part scratch so parts never share a buffer. Images are
    // lowered in groups laid side by side ([k, group·pixels]) so each GEMM is wide enough to run near peak.
    private sealed unsafe class ConvWork : IParallelWork
    {
        // Aim for about this many columns per GEMM: wide enough to amortise packing, small enough to stay in L2.
        private const int TargetColumns = 4096;
        private readonly Conv2DLayer _layer;
        private readonly int _group;
        private float[][] _columns = [];
        private float[][] _outputs = [];
        private float[][] _weightGradients = [];
        private float[][] _biasGradients = [];
        private Mode _mode;
        private float* _x;
        private float* _dy;
        private float* _y;
        private float* _dx;
        private int _rows;
        private bool _parameterGradients;

        public ConvWork(Conv2DLayer layer)
        {
            _layer = layer;
            _group = Math.Clamp(TargetColumns / layer.Pixels, 1, 64);
        }

        public enum Mode
        {
            Forward,
            Backward,
        }

        public void Begin(Mode mode, float* x, float* dy, float* y, float* dx, int rows, bool computeParameterGradients)
        {
            int parts = Math.Max(1, ComputeThreads.Count);
            if (_columns.Length < parts)
            {
                int width = _group * _layer.Pixels;
                _columns = Enumerable.Range(0, parts).Select(_ => new float[_layer.ColumnRows * width]).ToArray();
                _outputs = Enumerable.Range(0, parts).Select(_ => new float[_layer.OutChannels * width]).ToArray();
                _weightGradients = Enumerable.Range(0, parts).Select(_ => new float[_layer.WeightGradient.Length]).ToArray();
                _biasGradients = Enumerable.Range(0, parts).Select(_ => new float[_layer.OutChannels]).ToArray();
            }

            _mode = mode;
            _x = x;
            _dy = dy;
            _y = y;
            _dx = dx;
            _rows = rows;
            _parameterGradients = computeParameterGradients;
        }

        public void ReduceGradients(int parts, float[] weightGradient, float[] biasGradient)
        {
            _weightGradients[0].AsSpan().CopyTo(weightGradient);
            _biasGradients[0].AsSpan().CopyTo(biasGradient);
            for (int p = 1; p < parts; p++)
            {
                TensorPrimitives.Add(weightGradient, _weightGradients[p], weightGradient);
                TensorPrimitives.Add(biasGradient, _biasGradients[p], biasGradient);
            }
        }

        public void Execute(int part, int parts)
        {
            Conv2DLayer l = _layer;
            int first = (int)((long)_rows * part / parts);
            int end = (int)((long)_rows * (part + 1) / parts);
            int inSize = l.InputSize;
            int outSize = l.OutputSize;
            int k = l.ColumnRows;
            int pixels = l.Pixels;
            int outChannels = l.OutChannels;
            Span<float> columns = _columns[part];
            Span<float> grouped = _outputs[part];
            ReadOnlySpan<float> weights = l.Weight.Data;
            ReadOnlySpan<float> bias = l.Bias.Data;
            Span<float> weightGradient = _weightGradients[part];
            Span<float> biasGradient = _biasGradients[part];
            if (_mode == Mode.Backward && _parameterGradients)
            {
                weightGradient.Clear();
                biasGradient.Clear();
            }

            for (int g0 = first; g0 < end; g0 += _group)
            {
                int count = Math.Min(_group, end - g0);
                int width = count * pixels;
                bool lower = _mode == Mode.Forward || _parameterGradients;
                for (int j = 0; j < count && lower; j++)
                {
                    var image = new ReadOnlySpan<float>(_x + ((long)(g0 + j) * inSize), inSize);
                    Im2Col(image, l.InChannels, l.Height, l.Width, l.KernelSize, l.Stride, l.Padding, l.OutputHeight, l.OutputWidth, columns[(j * pixels)..], width);
                }

                if (_mode == Mode.Forward)
                {
                    for (int o = 0; o < outChannels; o++)
                    {
                        grouped.Slice(o * width, width).Fill(bias[o]);
                    }

                    // y[out, group·pixels] += W[out, k] · columns[k, group·pixels], then back to one [out, pixels] block per image.
                    Gemm.Multiply(outChannels, width, k, weights, k, false, columns, width, false, grouped, width, accumulate: true, threads: 1);
                    for (int j = 0; j < count; j++)
                    {
                        var y = new Span<float>(_y + ((long)(g0 + j) * outSize), outSize);
                        for (int o = 0; o < outChannels; o++)
                        {
                            grouped.Slice((o * width) + (j * pixels), pixels).CopyTo(y.Slice(o * pixels, pixels));
                        }
                    }

                    continue;
                }

                for (int j = 0; j < count; j++)
                {
                    var dy = new ReadOnlySpan<float>(_dy + ((long)(g0 + j) * outSize), outSize);
                    for (int o = 0; o < outChannels; o++)
                    {
                        dy.Slice(o * pixels, pixels).CopyTo(grouped.Slice((o * width) + (j * pixels), pixels));
                    }
                }

                ReadOnlySpan<float> dGrouped = grouped[..(outChannels * width)];
                if (_parameterGradients)
                {
                    // dW[out, k] += dy[out, group·pixels] · columnsᵀ[group·pixels, k]. With few kernel taps (a first layer) the
                    // GEMM's 32-wide column tiles would be mostly padding, so long dot products are faster there.
                    if (k < 32)
                    {
                        for (int o = 0; o < outChannels; o++)
                        {
                            ReadOnlySpan<float> dyRow = dGrouped.Slice(o * width, width);
                            for (int t = 0; t < k; t++)
                            {
                                weightGradient[(o * k) + t] += TensorPrimitives.Dot(dyRow, columns.Slice(t * width, width));
                            }
                        }
                    }
                    else
                    {
                        Gemm.Multiply(outChannels, k, width, dGrouped, width, false, columns, width, true, weightGradient, k, accumulate: true, threads: 1);
                    }
                    for (int o = 0; o < outChannels; o++)
                    {
                        biasGradient[o] += TensorPrimitives.Sum(dGrouped.Slice(o * width, width));
                    }
                }

                if (_dx != null)
                {
                    // dcolumns[k, group·pixels] = Wᵀ[k, out] · dy[out, group·pixels], then folded back onto each image.
                    Gemm.Multiply(k, width, outChannels, weights, k, true, dGrouped, width, false, columns, width, accumulate: false, threads: 1);
                    for (int j = 0; j < count; j++)
                    {
                        var dx = new Span<float>(_dx + ((long)(g0 + j) * inSize), inSize);
                        dx.Clear();
                        Col2ImAdd(columns[(j * pixels)..], width, l.InChannels, l.Height, l.Width, l.KernelSize, l.Stride, l.Padding, l.OutputHeight, l.OutputWidth, dx);
                    }
                }
            }
        }
    }
}
