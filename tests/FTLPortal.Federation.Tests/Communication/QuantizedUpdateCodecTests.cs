using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Communication;
using FTLPortal.Federation.Rounds;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Serialization;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Communication;

public class QuantizedUpdateCodecTests
{
    private static (WeightSet Global, WeightSet Update) Pair(int length, int seed)
    {
        var random = new Random(seed);
        float[] global = [.. Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() - 0.5))];
        float[] update = [.. global.Select(g => g + (float)((random.NextDouble() - 0.5) * 0.02))];
        return (new WeightSet { new NamedTensor("dense.weight", [length / 10, 10], global) },
                new WeightSet { new NamedTensor("dense.weight", [length / 10, 10], update) });
    }

    [Fact]
    public void Decode_StaysWithinHalfAStep_WhenInt8PerTensorScale()
    {
        (WeightSet global, WeightSet update) = Pair(10_000, 1);

        byte[] payload = QuantizedUpdateCodec.Encode(update, global, UpdateEncoding.ScaledByte);
        WeightSet decoded = QuantizedUpdateCodec.Decode(payload, global);

        float[] g = global["dense.weight"].Data, u = update["dense.weight"].Data, d = decoded["dense.weight"].Data;
        float scale = u.Zip(g).Max(p => Math.Abs(p.First - p.Second)) / 127f;
        for (int i = 0; i < u.Length; i++)
        {
            Assert.True(Math.Abs(d[i] - u[i]) <= (scale / 2) + 1e-6f, $"[{i}] error {Math.Abs(d[i] - u[i])}, bound {scale / 2}");
        }

        // 1 byte a value plus a small header, against 4 bytes a value in float32 safetensors.
        double saving = (double)SafeTensorsFormat.ToBytes(update).Length / payload.Length;
        Assert.True(saving > 3.9, $"saving {saving:F2}×");
    }

    [Fact]
    public void Decode_KeepsRelativeErrorOfHalfPrecision_WhenFloat16()
    {
        (WeightSet global, WeightSet update) = Pair(10_000, 2);

        byte[] payload = QuantizedUpdateCodec.Encode(update, global, UpdateEncoding.Float16);
        WeightSet decoded = QuantizedUpdateCodec.Decode(payload, global);

        float[] g = global["dense.weight"].Data, u = update["dense.weight"].Data, d = decoded["dense.weight"].Data;
        for (int i = 0; i < u.Length; i++)
        {
            float change = u[i] - g[i];
            // Half keeps 11 significant bits: |error of Δ| ≤ 2⁻¹¹·|Δ| (plus the float32 rounding of w_global + Δ).
            Assert.True(Math.Abs(d[i] - u[i]) <= (Math.Abs(change) * (1f / 2048)) + 1e-7f, $"[{i}] Δ {change}, error {Math.Abs(d[i] - u[i])}");
        }

        double saving = (double)SafeTensorsFormat.ToBytes(update).Length / payload.Length;
        Assert.True(saving > 1.95, $"saving {saving:F2}×");
    }

    [Fact]
    public void Decode_ThrowsFormatException_WhenPayloadTruncatedOrForeign()
    {
        (WeightSet global, WeightSet update) = Pair(100, 3);
        byte[] payload = QuantizedUpdateCodec.Encode(update, global, UpdateEncoding.ScaledByte);

        Assert.Throws<FormatException>(() => QuantizedUpdateCodec.Decode(payload.AsSpan(0, payload.Length - 5), global));
        Assert.Throws<FormatException>(() => QuantizedUpdateCodec.Decode("nope"u8, global));
        Assert.Throws<ArgumentException>(() => QuantizedUpdateCodec.Encode(update, global, UpdateEncoding.FullPrecision));
    }

    [Theory]
    [InlineData(UpdateEncoding.Float16)]
    [InlineData(UpdateEncoding.ScaledByte)]
    public async Task RunAsync_AggregatesQuantizedUpdatesAndCountsFewerBytes_WhenPlanAsksForEncoding(UpdateEncoding encoding)
    {
        (ModelArchitecture architecture, WeightSet weights) = TestData.SmallMlp(inputs: 20, hidden: 40);
        FakeAgent[] Agents() =>
        [
            new("a") { OnTrain = (r, _) => Task.FromResult(Quantized(r, "a", 0.01f)) },
            new("b") { OnTrain = (r, _) => Task.FromResult(Quantized(r, "b", 0.03f)) },
        ];
        FineTuningPlan Plan(FakeAgent[] agents, UpdateEncoding e) => new()
        {
            ArchitectureJson = architecture.ToJson(),
            InitialWeights = TestData.Bytes(weights),
            Rounds = 1,
            Local = new TrainingOptions { Epochs = 1 },
            Participants = agents.Select(a => new Participant(a.PartnerId, "d", a)).ToList(),
            UpdateEncoding = e,
        };

        var options = new FederatedTrainerOptions { EvaluateFinalModel = false };
        FederatedRunResult plain = await new FederatedTrainer(options).RunAsync(Plan(Agents(), UpdateEncoding.FullPrecision));
        FederatedRunResult quantized = await new FederatedTrainer(options).RunAsync(Plan(Agents(), encoding));

        Assert.Empty(quantized.Rounds[0].Dropped);
        foreach (NamedTensor tensor in plain.FinalWeights)
        {
            float[] q = quantized.FinalWeights[tensor.Name].Data;
            for (int i = 0; i < q.Length; i++)
            {
                Assert.Equal(tensor.Data[i], q[i], 2e-4f);
            }
        }

        long plainUp = plain.Rounds[0].Traffic.Sum(t => t.BytesFromPartner);
        long quantizedUp = quantized.Rounds[0].Traffic.Sum(t => t.BytesFromPartner);
        Assert.True(quantizedUp * (encoding == UpdateEncoding.Float16 ? 1.9 : 3.5) < plainUp, $"{quantizedUp} vs {plainUp} bytes");

        static ModelUpdate Quantized(LocalTrainingRequest request, string partnerId, float delta)
        {
            ModelUpdate plain = new FakeAgent(partnerId).Shifted(request, delta, 10);
            WeightSet global = TestData.Weights(request.GlobalWeights);
            WeightSet update = TestData.Weights(plain.Weights);
            byte[] payload = request.UpdateEncoding == UpdateEncoding.FullPrecision
                ? plain.Weights
                : QuantizedUpdateCodec.Encode(update, global, request.UpdateEncoding);
            return new ModelUpdate(partnerId, request.Round, 10, payload, 0.5, plain.Validation)
            {
                Encoding = request.UpdateEncoding,
            };
        }
    }
}
