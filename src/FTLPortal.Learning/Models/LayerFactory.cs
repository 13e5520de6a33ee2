namespace FTLPortal.Learning.Models;

/// <summary>Builds the layer of a spec for a given input shape, drawing initial weights from <c>random</c> in layer order.</summary>
internal static class LayerFactory
{
    public static ILayer Create(LayerSpec spec, IReadOnlyList<int> input, Random random)
    {
        int width = LayerShapes.Size(input);
        switch (spec.Kind)
        {
            case LayerSpec.DenseKind:
                var dense = new DenseLayer(spec.Name, width, spec.Units);
                dense.InitializeHeUniform(random);
                return dense;
            case LayerSpec.ReluKind:
                return new ReluLayer(spec.Name, width);
            case LayerSpec.GeluKind:
                return new GeluLayer(spec.Name, width);
            case LayerSpec.TanhKind:
                return new TanhLayer(spec.Name, width);
            case LayerSpec.FlattenKind:
                return new FlattenLayer(spec.Name, width);
            case LayerSpec.Conv2DKind:
                var conv = new Conv2DLayer(spec.Name, input[0], input[1], input[2], spec.Units, spec.KernelSize, spec.Stride == 0 ? 1 : spec.Stride, spec.Padding);
                conv.InitializeHeUniform(random);
                return conv;
            case LayerSpec.MaxPool2DKind:
                return new MaxPool2DLayer(spec.Name, input[0], input[1], input[2], spec.KernelSize, spec.Stride);
            case LayerSpec.DropoutKind:
                return new DropoutLayer(spec.Name, width, spec.Rate, random.Next());
            case LayerSpec.BatchNormKind:
                return input.Count == 3
                    ? new BatchNormLayer(spec.Name, input[0], input[1] * input[2], spec.LocalStatistics)
                    : new BatchNormLayer(spec.Name, width, 1, spec.LocalStatistics);
            case LayerSpec.GlobalAveragePoolKind:
                return new GlobalAveragePoolLayer(spec.Name, input[0], input[1], input[2]);
            default:
                throw new ArgumentException($"Layer '{spec.Name}' has unknown kind '{spec.Kind}'.", nameof(spec));
        }
    }
}
