namespace FTLPortal.Learning.Models;

/// <summary>Shape inference: the per-row output shape of a layer given its input shape ([C, H, W] for images, [N] for vectors).</summary>
internal static class LayerShapes
{
    public static int Size(IReadOnlyList<int> shape)
    {
        int size = 1;
        foreach (int d in shape)
        {
            size *= d;
        }

        return size;
    }

    public static int[] Output(LayerSpec layer, IReadOnlyList<int> input)
    {
        int width = Size(input);
        switch (layer.Kind)
        {
            case LayerSpec.DenseKind:
                return layer.Units > 0
                    ? [layer.Units]
                    : throw new ArgumentException($"Dense layer '{layer.Name}' needs a positive number of units.");
            case LayerSpec.ReluKind:
                return layer.Units == 0 || layer.Units == width
                    ? input.ToArray()
                    : throw new ArgumentException($"ReLU layer '{layer.Name}' has {layer.Units} units but its input has {width}.");
            case LayerSpec.GeluKind or LayerSpec.TanhKind or LayerSpec.BatchNormKind:
                return input.ToArray();
            case LayerSpec.DropoutKind:
                return layer.Rate is >= 0f and < 1f
                    ? input.ToArray()
                    : throw new ArgumentException($"Dropout layer '{layer.Name}' needs a rate in [0, 1) (was {layer.Rate}).");
            case LayerSpec.FlattenKind:
                return [width];
            case LayerSpec.Conv2DKind:
            {
                (int c, int h, int w) = Image(layer, input);
                if (layer.Units <= 0 || layer.KernelSize <= 0 || layer.Stride < 0 || layer.Padding < 0)
                {
                    throw new ArgumentException($"Conv2D layer '{layer.Name}' needs positive output channels and kernel size, and a non-negative stride and padding.");
                }

                int stride = layer.Stride == 0 ? 1 : layer.Stride;
                int ph = h + (2 * layer.Padding);
                int pw = w + (2 * layer.Padding);
                if (ph < layer.KernelSize || pw < layer.KernelSize)
                {
                    throw new ArgumentException($"Conv2D layer '{layer.Name}': a {layer.KernelSize}×{layer.KernelSize} kernel does not fit its {c}×{h}×{w} input.");
                }

                return [layer.Units, ((ph - layer.KernelSize) / stride) + 1, ((pw - layer.KernelSize) / stride) + 1];
            }

            case LayerSpec.MaxPool2DKind:
            {
                (int c, int h, int w) = Image(layer, input);
                if (layer.KernelSize <= 0 || layer.Stride < 0 || h < layer.KernelSize || w < layer.KernelSize)
                {
                    throw new ArgumentException($"MaxPool2D layer '{layer.Name}': window {layer.KernelSize} does not fit its {c}×{h}×{w} input.");
                }

                int stride = layer.Stride == 0 ? layer.KernelSize : layer.Stride;
                return [c, ((h - layer.KernelSize) / stride) + 1, ((w - layer.KernelSize) / stride) + 1];
            }

            case LayerSpec.GlobalAveragePoolKind:
                return [Image(layer, input).Channels];
            default:
                throw new ArgumentException(
                    $"Layer '{layer.Name}' has unknown kind '{layer.Kind}' (known: dense, relu, conv2d, maxpool2d, globalavgpool, flatten, batchnorm, dropout, gelu, tanh).");
        }
    }

    private static (int Channels, int Height, int Width) Image(LayerSpec layer, IReadOnlyList<int> input) =>
        input.Count == 3
            ? (input[0], input[1], input[2])
            : throw new ArgumentException($"Layer '{layer.Name}' ({layer.Kind}) needs an image input [channels, height, width]; its input has shape [{string.Join(", ", input)}]. Set the architecture's InputShape.");
}
