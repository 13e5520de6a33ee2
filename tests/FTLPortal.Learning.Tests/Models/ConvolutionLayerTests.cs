using FTLPortal.Learning.Models;

namespace FTLPortal.Learning.Tests.Models;

public class ConvolutionLayerTests
{
    public static TheoryData<int, int, int, int, int, int, int> ConvShapes => new()
    {
        // in, height, width, out, kernel, stride, padding
        { 1, 5, 5, 2, 3, 1, 0 },
        { 2, 6, 5, 3, 3, 1, 1 },
        { 3, 7, 7, 2, 3, 2, 1 },
        { 2, 4, 6, 4, 1, 1, 0 },
        { 1, 8, 8, 2, 5, 3, 2 },
        { 4, 6, 6, 3, 3, 1, 1 }, // 36 kernel taps: the weight gradient goes through the GEMM, not dot products
    };

    [Theory]
    [MemberData(nameof(ConvShapes))]
    public void Conv2DForward_MatchesNaiveConvolution_ForStridesAndPadding(int inC, int h, int w, int outC, int k, int stride, int padding)
    {
        var random = new Random(inC + h + k + stride);
        var layer = new Conv2DLayer("c", inC, h, w, outC, k, stride, padding);
        layer.InitializeHeUniform(random);
        GradientCheck.RandomValues(random, outC).CopyTo(layer.Bias.Data, 0);
        const int rows = 3;
        float[] input = GradientCheck.RandomValues(random, rows * layer.InputSize);
        var output = new float[rows * layer.OutputSize];

        layer.Forward(input, rows, output);

        float[] expected = NaiveConvolution(layer, input, rows);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(output[i] - expected[i]) < 1e-5f, $"y[{i}] = {output[i]}, naive {expected[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(ConvShapes))]
    public void Conv2DBackward_MatchesFiniteDifferences_ForStridesAndPadding(int inC, int h, int w, int outC, int k, int stride, int padding)
    {
        var random = new Random(11 + inC + h + k + stride);
        var layer = new Conv2DLayer("c", inC, h, w, outC, k, stride, padding);
        layer.InitializeHeUniform(random);
        const int rows = 2;
        LayerGradientCheck.Check(layer, GradientCheck.RandomValues(random, rows * layer.InputSize), rows, random);
    }

    [Fact]
    public void Conv2D_OutputShape_FollowsPyTorchFormula()
    {
        var layer = new Conv2DLayer("c", 3, 28, 27, 8, 3, stride: 2, padding: 1);

        Assert.Equal((14, 14), (layer.OutputHeight, layer.OutputWidth));
        Assert.Equal(8 * 14 * 14, layer.OutputSize);
        Assert.Equal([8, 3, 3, 3], layer.Weight.Shape);
    }

    [Fact]
    public void MaxPool2DForward_TakesWindowMaxima_ForKnownValues()
    {
        var layer = new MaxPool2DLayer("p", 1, 4, 4, 2);
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 15];
        var y = new float[4];

        layer.Forward(x, 1, y);

        Assert.Equal([6f, 8f, 14f, 16f], y);
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(3, 2)]
    [InlineData(2, 1)]
    public void MaxPool2DBackward_MatchesFiniteDifferences_ForWindowsAndStrides(int kernel, int stride)
    {
        var random = new Random(kernel * 10 + stride);
        var layer = new MaxPool2DLayer("p", 2, 7, 6, kernel, stride);
        const int rows = 2;
        LayerGradientCheck.Check(layer, LayerGradientCheck.DistinctValues(random, rows * layer.InputSize), rows, random);
    }

    [Fact]
    public void GlobalAveragePoolBackward_MatchesFiniteDifferences()
    {
        var random = new Random(5);
        var layer = new GlobalAveragePoolLayer("g", 3, 4, 5);

        LayerGradientCheck.Check(layer, GradientCheck.RandomValues(random, 2 * layer.InputSize), 2, random);
    }

    [Fact]
    public void GlobalAveragePoolForward_AveragesEachPlane()
    {
        var layer = new GlobalAveragePoolLayer("g", 2, 1, 2);
        var y = new float[2];

        layer.Forward([1, 3, 10, 20], 1, y);

        Assert.Equal([2f, 15f], y);
    }

    [Fact]
    public void FlattenBackward_PassesGradientThrough()
    {
        var random = new Random(2);
        var layer = new FlattenLayer("f", 6);

        LayerGradientCheck.Check(layer, GradientCheck.RandomValues(random, 12), 2, random);
    }

    [Fact]
    public void TanhBackward_MatchesFiniteDifferences()
    {
        var random = new Random(8);
        var layer = new TanhLayer("t", 9);

        LayerGradientCheck.Check(layer, GradientCheck.RandomValues(random, 27, 2.0), 3, random);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GeluBackward_MatchesFiniteDifferences_ExactAndTanhForms(bool approximateTanh)
    {
        var random = new Random(9);
        var layer = new GeluLayer("g", 9, approximateTanh);

        LayerGradientCheck.Check(layer, GradientCheck.RandomValues(random, 27, 3.0), 3, random);
    }

    [Theory]
    [InlineData(false, new[] { -0.15865529f, 0f, 1.95450f, -0.00081433f })]
    [InlineData(true, new[] { -0.15880799f, 0f, 1.95459771f, -0.00061615f })]
    public void GeluForward_MatchesPyTorch_ExactAndTanhForms(bool approximateTanh, float[] expected)
    {
        // torch.nn.functional.gelu(tensor([-1., 0., 2., -3.5]), approximate="none" / "tanh"), torch 1.13.
        var layer = new GeluLayer("g", 4, approximateTanh);
        var y = new float[4];

        layer.Forward([-1f, 0f, 2f, -3.5f], 1, y);

        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], y[i], 1e-6f);
        }
    }

    private static float[] NaiveConvolution(Conv2DLayer layer, float[] input, int rows)
    {
        int oh = layer.OutputHeight, ow = layer.OutputWidth, k = layer.KernelSize;
        var y = new float[rows * layer.OutputSize];
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < layer.OutChannels; o++)
            {
                for (int oy = 0; oy < oh; oy++)
                {
                    for (int ox = 0; ox < ow; ox++)
                    {
                        double sum = layer.Bias.Data[o];
                        for (int c = 0; c < layer.InChannels; c++)
                        {
                            for (int ky = 0; ky < k; ky++)
                            {
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int iy = (oy * layer.Stride) - layer.Padding + ky;
                                    int ix = (ox * layer.Stride) - layer.Padding + kx;
                                    if (iy < 0 || iy >= layer.Height || ix < 0 || ix >= layer.Width)
                                    {
                                        continue;
                                    }

                                    float x = input[(r * layer.InputSize) + (((c * layer.Height) + iy) * layer.Width) + ix];
                                    float w = layer.Weight.Data[(((((o * layer.InChannels) + c) * k) + ky) * k) + kx];
                                    sum += (double)x * w;
                                }
                            }
                        }

                        y[(r * layer.OutputSize) + (((o * oh) + oy) * ow) + ox] = (float)sum;
                    }
                }
            }
        }

        return y;
    }
}
