namespace FTLPortal.Learning.Models;

/// <summary>A layer over a batch of rows (row-major). Layers hold parameters and gradients; the model owns activation buffers.</summary>
public interface ILayer
{
    string Name { get; }

    string Kind { get; }

    int InputSize { get; }

    int OutputSize { get; }

    IReadOnlyList<TrainableParameter> Parameters { get; }

    void Forward(ReadOnlySpan<float> input, int rows, Span<float> output);

    /// <summary>
    /// Given the gradient of the loss wrt this layer's output, overwrites the parameter gradients (when
    /// <paramref name="computeParameterGradients"/>) and the gradient wrt the input (when <paramref name="inputGradient"/> is not empty).
    /// </summary>
    void Backward(
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> outputGradient,
        int rows,
        Span<float> inputGradient,
        bool computeParameterGradients);
}
