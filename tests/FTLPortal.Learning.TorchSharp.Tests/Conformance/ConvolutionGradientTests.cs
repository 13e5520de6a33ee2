using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace FTLPortal.Learning.TorchSharp.Tests.Conformance;

/// <summary>
/// libtorch's float32 convolution gradients against its float64 ones, with the engine's settings in force: with oneDNN on,
/// the input gradient of these shapes was 30–90 % off on the CI machines (AMD EPYC, AVX-512); see <see cref="OneDnnSwitch"/>.
/// </summary>
public class ConvolutionGradientTests
{
    private static readonly TorchSharpEngine Engine = new(new TorchSharpEngineOptions { Threads = 1 });

    [Fact]
    public void Constructor_TurnsOneDnnOff_ByDefault()
    {
        Assert.False(Engine.Options.OneDnn);
        Assert.False(OneDnnSwitch.Enabled);
    }

    [Theory]
    [InlineData(160, 4, 4, 6, 0)] // the "cnn" conformance model's conv2
    [InlineData(16, 4, 4, 6, 1)]
    [InlineData(160, 1, 8, 4, 1)]
    [InlineData(32, 8, 6, 6, 0)]
    [InlineData(128, 8, 14, 16, 1)] // the Fashion-MNIST CNN's conv2 (ModelArchitecture.FashionCnn)
    public void Conv2dBackward_MatchesFloat64_WithEngineSettings(int batch, int inChannels, int size, int outChannels, int padding)
    {
        Assert.NotNull(Engine);
        using IDisposable scope = NewDisposeScope();
        using var generator = new Generator(5);
        Tensor input = randn([batch, inChannels, size, size], dtype: ScalarType.Float64, generator: generator);
        Tensor weight = randn([outChannels, inChannels, 3, 3], dtype: ScalarType.Float64, generator: generator);
        long outSize = size + (2 * padding) - 2;
        Tensor upstream = randn([batch, outChannels, outSize, outSize], dtype: ScalarType.Float64, generator: generator);

        (double[] Input, double[] Weight) Gradients(ScalarType type)
        {
            Tensor x = input.to_type(type).detach().clone();
            Tensor w = weight.to_type(type).detach().clone();
            x.requires_grad = true;
            w.requires_grad = true;
            F.conv2d(x, w, padding: [padding, padding]).mul(upstream.to_type(type)).sum().backward();
            return (Values(x.grad!), Values(w.grad!));
        }

        (double[] exactInput, double[] exactWeight) = Gradients(ScalarType.Float64);
        (double[] floatInput, double[] floatWeight) = Gradients(ScalarType.Float32);

        Assert.InRange(RelativeDifference(floatInput, exactInput), 0, 1e-5);
        Assert.InRange(RelativeDifference(floatWeight, exactWeight), 0, 1e-5);
    }

    private static double[] Values(Tensor gradient) => gradient.to_type(ScalarType.Float64).contiguous().data<double>().ToArray();

    private static double RelativeDifference(double[] actual, double[] expected)
    {
        double difference = 0;
        double norm = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            difference += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            norm += expected[i] * expected[i];
        }

        // NaN fails InRange as it should.
        return Math.Sqrt(difference / norm);
    }
}
