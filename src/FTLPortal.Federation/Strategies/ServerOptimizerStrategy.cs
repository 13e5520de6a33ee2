using System.Globalization;
using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Serialization;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Strategies;

/// <summary>
/// A server optimizer (Hsu et al. 2019; Reddi et al. 2021, "Adaptive Federated Optimization"): the clients' weighted mean
/// gives the pseudo-gradient <c>Δ = mean - current</c>, and the server steps along it with its own optimizer, whose
/// per-tensor buffers persist across rounds and travel in the checkpoint (<see cref="ExportState"/>).
/// </summary>
public abstract class ServerOptimizerStrategy : IAggregationStrategy
{
    private const string RoundKey = "rounds";
    private readonly Dictionary<string, float[]> _first = new(StringComparer.Ordinal);
    private readonly Dictionary<string, float[]> _second = new(StringComparer.Ordinal);

    protected ServerOptimizerStrategy(float serverLearningRate, AveragingWeights weighting)
    {
        if (!(serverLearningRate > 0) || !float.IsFinite(serverLearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(serverLearningRate), "The server learning rate must be positive and finite.");
        }

        ServerLearningRate = serverLearningRate;
        Weighting = weighting;
    }

    public abstract string Name { get; }

    public float ServerLearningRate { get; }

    public AveragingWeights Weighting { get; }

    /// <summary>The number of server steps taken (restored with the state).</summary>
    public int Steps { get; private set; }

    /// <summary>Whether the optimizer keeps a second-moment buffer.</summary>
    protected abstract bool UsesSecondMoment { get; }

    public WeightSet Aggregate(WeightSet current, IReadOnlyList<ClientUpdate> updates)
    {
        AggregationInputs.Check(current, updates, Weighting == AveragingWeights.SampleCount);
        return Step(current, FederatedAveraging.Mean(current, updates, Weighting));
    }

    public WeightSet ApplyMean(WeightSet current, WeightSet mean)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(mean);
        AggregationInputs.CheckShapes(current, mean, "The mean model");
        return Step(current, mean);
    }

    public byte[]? ExportState()
    {
        var state = new WeightSet();
        foreach ((string name, float[] m) in _first)
        {
            state.Add(new NamedTensor("m." + name, [m.Length], (float[])m.Clone()));
        }

        foreach ((string name, float[] v) in _second)
        {
            state.Add(new NamedTensor("v." + name, [v.Length], (float[])v.Clone()));
        }

        return SafeTensorsFormat.ToBytes(state, new Dictionary<string, string>
        {
            ["strategy"] = Name,
            [RoundKey] = Steps.ToString(CultureInfo.InvariantCulture),
        });
    }

    public void ImportState(ReadOnlySpan<byte> state)
    {
        IReadOnlyDictionary<string, string> metadata = SafeTensorsFormat.ReadMetadata(state);
        if (!metadata.TryGetValue("strategy", out string? name) || name != Name)
        {
            throw new ArgumentException($"The saved server state is for strategy '{name}', not '{Name}'.", nameof(state));
        }

        _first.Clear();
        _second.Clear();
        foreach (NamedTensor tensor in SafeTensorsFormat.FromBytes(state))
        {
            (tensor.Name.StartsWith("m.", StringComparison.Ordinal) ? _first : _second)[tensor.Name[2..]] = tensor.Data;
        }

        Steps = int.Parse(metadata[RoundKey], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Updates the buffers for one tensor and writes the server step into <paramref name="deltaThenStep"/>, which holds
    /// the pseudo-gradient on entry; the new weights are <c>current + step</c>.
    /// </summary>
    protected abstract void UpdateTensor(Span<float> deltaThenStep, Span<float> first, Span<float> second);

    /// <summary>The initial value of the second-moment buffer (Reddi et al. start it at τ²).</summary>
    protected virtual float InitialSecondMoment => 0f;

    private WeightSet Step(WeightSet current, WeightSet mean)
    {
        var result = new WeightSet();
        foreach (NamedTensor reference in current)
        {
            if (!mean.TryGet(reference.Name, out NamedTensor? averaged))
            {
                result.Add(reference.Clone());
                continue;
            }

            int n = reference.Data.Length;
            var next = new float[n];
            System.Numerics.Tensors.TensorPrimitives.Subtract(averaged.Data, reference.Data, next);
            float[] first = Buffer(_first, reference.Name, n, 0f);
            float[] second = UsesSecondMoment ? Buffer(_second, reference.Name, n, InitialSecondMoment) : [];
            UpdateTensor(next, first, second);
            System.Numerics.Tensors.TensorPrimitives.Add(next, reference.Data, next);
            result.Add(new NamedTensor(reference.Name, (int[])reference.Shape.Clone(), next));
        }

        Steps++;
        return result;
    }

    private static float[] Buffer(Dictionary<string, float[]> buffers, string name, int length, float initial)
    {
        if (!buffers.TryGetValue(name, out float[]? buffer) || buffer.Length != length)
        {
            buffer = new float[length];
            buffer.AsSpan().Fill(initial);
            buffers[name] = buffer;
        }

        return buffer;
    }
}
