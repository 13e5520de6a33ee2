using FTLPortal.Learning.Data;
using FTLPortal.Learning.Metrics;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;
using Xunit.Abstractions;

namespace FTLPortal.Learning.Tests.Training;

public class ModelChoiceTests(ITestOutputHelper output)
{
    private static TabularDataset Standardized(TabularDataset data) => Standardizer.Fit(data).Transform(data);

    [Fact]
    public void Train_ReachesTheNewtonOptimumOfL2RegularizedLogisticRegression_WithZeroHiddenLayers()
    {
        const float Lambda = 0.05f;
        TabularDataset data = Standardized(SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 200, Features = 3, Classes = 2, Seed = 8, Noise = 1.5 }));
        ModelArchitecture architecture = ModelArchitecture.Mlp(3, [], data.ClassNames);
        Assert.Equal(["output"], architecture.Layers.Select(l => l.Name));
        SequentialModel model = SequentialModel.Create(architecture, 1);

        // Full-batch gradient descent on mean CE + λ/2·‖θ‖² (weight decay adds λθ to the gradient, biases included).
        Trainer.Train(model, data, new TrainingOptions
        {
            Epochs = 3000, BatchSize = 0, Optimizer = OptimizerKind.Sgd, LearningRate = 0.5f, WeightDecay = Lambda, Shuffle = false,
        });

        double[] reference = NewtonOptimum(data, Lambda);
        WeightSet weights = model.GetWeights();
        double[] trained = [.. weights["output.weight"].Data.Select(v => (double)v), .. weights["output.bias"].Data.Select(v => (double)v)];
        Assert.Equal(reference.Length, trained.Length);
        for (int i = 0; i < reference.Length; i++)
        {
            Assert.True(Math.Abs(reference[i] - trained[i]) < 1e-3, $"θ[{i}]: trained {trained[i]:F6}, Newton {reference[i]:F6}");
        }

        output.WriteLine($"max |θ − θ_Newton| = {reference.Zip(trained).Max(p => Math.Abs(p.First - p.Second)):G3}");
        Assert.True(reference.Take(6).Any(v => Math.Abs(v) > 0.1), "the reference solution is trivially zero");
    }

    /// <summary>
    /// The optimum of mean softmax cross-entropy + λ/2·‖θ‖² over θ = (W [classes × features] row-major, b [classes]), by
    /// Newton's method in double precision: the reference solver, independent of the trainer.
    /// </summary>
    private static double[] NewtonOptimum(TabularDataset data, double lambda)
    {
        int k = data.ClassNames.Count;
        int d = data.FeatureCount;
        int n = data.Rows;
        int size = (k * d) + k;
        var theta = new double[size];
        for (int iteration = 0; iteration < 30; iteration++)
        {
            var gradient = new double[size];
            var hessian = new double[size, size];
            for (int r = 0; r < n; r++)
            {
                ReadOnlySpan<float> row = data.Row(r);
                double[] x = [.. row.ToArray().Select(v => (double)v), 1.0];
                var z = new double[k];
                for (int c = 0; c < k; c++)
                {
                    z[c] = theta[(k * d) + c];
                    for (int f = 0; f < d; f++)
                    {
                        z[c] += theta[(c * d) + f] * x[f];
                    }
                }

                double max = z.Max();
                double[] p = z.Select(v => Math.Exp(v - max)).ToArray();
                double sum = p.Sum();
                for (int c = 0; c < k; c++)
                {
                    p[c] /= sum;
                }

                for (int c = 0; c < k; c++)
                {
                    double residual = p[c] - (data.Labels[r] == c ? 1 : 0);
                    for (int f = 0; f <= d; f++)
                    {
                        gradient[Index(c, f)] += residual * x[f] / n;
                    }

                    for (int c2 = 0; c2 < k; c2++)
                    {
                        double s = (c == c2 ? p[c] : 0) - (p[c] * p[c2]);
                        for (int f = 0; f <= d; f++)
                        {
                            for (int f2 = 0; f2 <= d; f2++)
                            {
                                hessian[Index(c, f), Index(c2, f2)] += s * x[f] * x[f2] / n;
                            }
                        }
                    }
                }
            }

            for (int i = 0; i < size; i++)
            {
                gradient[i] += lambda * theta[i];
                hessian[i, i] += lambda;
            }

            double[] step = Solve(hessian, gradient);
            for (int i = 0; i < size; i++)
            {
                theta[i] -= step[i];
            }
        }

        return theta;

        int Index(int c, int f) => f < d ? (c * d) + f : (k * d) + c;
    }

    private static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (int col = 0; col < n; col++)
        {
            int pivot = Enumerable.Range(col, n - col).MaxBy(r => Math.Abs(m[r, col]));
            for (int j = 0; j < n; j++)
            {
                (m[col, j], m[pivot, j]) = (m[pivot, j], m[col, j]);
            }

            (x[col], x[pivot]) = (x[pivot], x[col]);
            for (int r = col + 1; r < n; r++)
            {
                double factor = m[r, col] / m[col, col];
                for (int j = col; j < n; j++)
                {
                    m[r, j] -= factor * m[col, j];
                }

                x[r] -= factor * x[col];
            }
        }

        for (int r = n - 1; r >= 0; r--)
        {
            for (int j = r + 1; j < n; j++)
            {
                x[r] -= m[r, j] * x[j];
            }

            x[r] /= m[r, r];
        }

        return x;
    }

    [Fact]
    public void Train_StopsEarlyAndKeepsTheBestEpochsWeights_WhenValidationLossRises()
    {
#pragma warning disable CA5394 // Test data.
        var random = new Random(2);
        // Noise labels: a wide MLP memorizes the 60 training rows and its validation loss rises after a few epochs.
        TabularDataset Noise(int rows) => new(
            ["a", "b", "c", "d"], ["x", "y"],
            Enumerable.Range(0, rows * 4).Select(_ => (float)random.NextDouble()).ToArray(),
            Enumerable.Range(0, rows).Select(_ => random.Next(2)).ToArray());
#pragma warning restore CA5394
        TabularDataset train = Noise(60);
        TabularDataset validation = Noise(60);
        SequentialModel model = SequentialModel.Create(ModelArchitecture.Mlp(4, [64, 64], train.ClassNames), 3);

        ValidatedTrainingResult result = ValidatedTraining.Train(
            model, train, validation, new TrainingOptions { Epochs = 300, BatchSize = 10, LearningRate = 0.02f, EarlyStoppingPatience = 5 });

        Assert.True(result.StoppedEarly, $"trained all {result.History.Epochs.Count} epochs");
        Assert.Equal(result.BestEpoch + 5, result.History.Epochs.Count);
        Assert.All(result.History.Epochs, e => Assert.NotNull(e.ValidationLoss));
        Assert.Equal(result.History.Epochs.Min(e => e.ValidationLoss!.Value), result.BestValidationLoss);
        Assert.Equal(result.BestValidationLoss, Evaluator.Evaluate(model, validation).Loss, 12);
    }

    [Fact]
    public void Train_FindsTheMinorityClass_WhenClassesAreBalancedOn90To10Rows()
    {
        TabularDataset data = Standardized(SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 400, Features = 2, Classes = 2, Seed = 3, Noise = 3 }));
        int[] minority = Enumerable.Range(0, data.Rows).Where(r => data.Labels[r] == 1).Take(40).ToArray();
        int[] majority = Enumerable.Range(0, data.Rows).Where(r => data.Labels[r] == 0).Take(360).ToArray();
        TabularDataset skewed = data.Subset([.. majority, .. minority]);
        var options = new TrainingOptions { Epochs = 40, BatchSize = 32, LearningRate = 0.05f };

        double Sensitivity(TrainingOptions o)
        {
            SequentialModel model = SequentialModel.Create(ModelArchitecture.Mlp(2, [], skewed.ClassNames), 1);
            Trainer.Train(model, skewed, o);
            return Evaluator.Evaluate(model, skewed, new ClassificationReportOptions { BootstrapSamples = 0 }).Report!.BalancedAccuracy.Value;
        }

        double plain = Sensitivity(options);
        double balanced = Sensitivity(options with { BalanceClasses = true });
        double explicitWeights = Sensitivity(options with { ClassWeights = WeightedSoftmaxCrossEntropy.BalancedWeights(skewed.Labels, 2) });

        output.WriteLine($"balanced accuracy on 360/40 rows: plain loss {plain:F3}, balanced loss {balanced:F3}");
        Assert.True(balanced > plain + 0.05, $"balanced accuracy: plain {plain:F3}, balanced loss {balanced:F3}");
        Assert.Equal(balanced, explicitWeights, 12);
    }

    [Fact]
    public void WeightedSoftmaxCrossEntropy_MatchesFiniteDifferences_AndWeighsClasses()
    {
        var loss = new WeightedSoftmaxCrossEntropy([0.5f, 2f, 1f]);
        float[] logits = [0.2f, -0.4f, 1.1f, 0.7f, 0.1f, -0.3f];
        int[] labels = [1, 0];
        var gradient = new float[6];
        loss.Compute(logits, labels, 2, gradient);
        for (int i = 0; i < logits.Length; i++)
        {
            GradientCheck.AssertMatches(gradient[i], GradientCheck.Numeric(logits, i, () => loss.Compute(logits, labels, 2, [])), $"logit {i}");
        }

        float[] balanced = WeightedSoftmaxCrossEntropy.BalancedWeights([0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 2);
        Assert.Equal(10f / 18f, balanced[0], 6); // rows / (classes · class rows), as scikit-learn's "balanced"
        Assert.Equal(5f, balanced[1], 6);
        Assert.Throws<ArgumentException>(() => Trainer.Train(
            SequentialModel.Create(ModelArchitecture.Mlp(2, [], ["a", "b"]), 1),
            new TabularDataset(["f", "g"], ["a", "b"], [0, 1, 1, 0], [0, 1]),
            new TrainingOptions { ClassWeights = [1f, 2f, 3f] }));
    }
}
