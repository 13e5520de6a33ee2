using FTLPortal.Learning.Data;
using FTLPortal.Learning.Metrics;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Serialization;

namespace FTLPortal.Federation.Packaging;

/// <summary>
/// Predicts with a <see cref="ModelPackage"/> outside the portal: reads the feature columns of a CSV by name, applies the
/// chosen standardization, and runs the model, exactly as the portal's agents score their rows.
/// </summary>
public static class ModelPackagePredictor
{
    public static PackagePredictions Predict(ModelPackage package, Stream csv, string? standardization = null, CsvReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(csv);
        ModelPreprocessing pre = package.Preprocessing;
        string name = standardization ?? pre.DefaultStandardization;
        FeatureStandardization scaling = pre.Standardizations.FirstOrDefault(s => s.Name == name)
            ?? throw new ModelPackageException(
                $"The package has no standardization '{name}' (it has: {string.Join(", ", pre.Standardizations.Select(s => s.Name))}).");

        (float[] features, int rows) = FeatureCsvReader.Read(csv, pre.FeatureNames, pre.OneHotColumns, options);
        new Standardizer([.. scaling.Means], [.. scaling.StandardDeviations]).Transform(features, pre.FeatureNames.Count);
        ModelArchitecture architecture = ModelArchitecture.FromJson(package.ArchitectureJson);
        SequentialModel model = SequentialModel.Create(architecture, SafeTensorsFormat.FromBytes(package.Weights));
        var probabilities = new float[rows * architecture.OutputSize];
        model.PredictProbabilities(features, rows, probabilities);
        int[] predicted = ClassificationReporter.Predict(probabilities, architecture.OutputSize);
        return new PackagePredictions(architecture.ClassNames, predicted, probabilities);
    }
}
