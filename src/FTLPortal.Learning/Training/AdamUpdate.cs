using System.Runtime.Intrinsics;
using FTLPortal.Learning.Kernels;
using FTLPortal.Learning.Models;

namespace FTLPortal.Learning.Training;

/// <summary>
/// The Adam/AdamW update, vectorised and split over <see cref="ComputeThreads"/> by element ranges. Each element is computed
/// with exactly the scalar expression's operations in the same order (no fused multiply-add), so results do not depend on
/// the vector width or the thread count. One instance per training call: no allocation per step.
/// </summary>
internal sealed class AdamUpdate : IParallelWork
{
    private readonly TrainableParameter[] _parameters;
    private readonly float[][] _m;
    private readonly float[][] _v;
    private readonly float[] _rates;
    private readonly float[] _layerMultipliers;
    private float _beta1;
    private float _beta2;
    private float _epsilon;
    private float _correction1;
    private float _correction2;
    private float _coupledDecay;
    private float _decoupledDecay;

    public AdamUpdate(TrainableParameter[] parameters, float[][] m, float[][] v, float[] layerMultipliers)
    {
        _parameters = parameters;
        _m = m;
        _v = v;
        _layerMultipliers = layerMultipliers;
        _rates = new float[parameters.Length];
    }

    public void Step(float learningRate, float beta1, float beta2, float epsilon, long step, float weightDecay, bool decoupled)
    {
        _beta1 = beta1;
        _beta2 = beta2;
        _epsilon = epsilon;
        _correction1 = 1f - MathF.Pow(beta1, step);
        _correction2 = 1f - MathF.Pow(beta2, step);
        _coupledDecay = decoupled ? 0f : weightDecay;
        _decoupledDecay = decoupled ? weightDecay : 0f;
        for (int p = 0; p < _parameters.Length; p++)
        {
            _rates[p] = learningRate * _layerMultipliers[p];
        }

        long elements = 0;
        foreach (TrainableParameter parameter in _parameters)
        {
            elements += parameter.Gradient.Length;
        }

        // Small models are not worth waking a second thread for.
        int parts = elements < 32_768 ? 1 : ComputeThreads.Count;
        WorkerPool.Shared.Run(this, parts);
    }

    public void Execute(int part, int parts)
    {
        for (int p = 0; p < _parameters.Length; p++)
        {
            int length = _parameters[p].Gradient.Length;
            int start = (int)((long)length * part / parts);
            int end = (int)((long)length * (part + 1) / parts);
            Update(
                _parameters[p].Value.Data.AsSpan(start, end - start),
                _parameters[p].Gradient.AsSpan(start, end - start),
                _m[p].AsSpan(start, end - start),
                _v[p].AsSpan(start, end - start),
                _rates[p]);
        }
    }

    private void Update(Span<float> w, ReadOnlySpan<float> g, Span<float> m, Span<float> v, float rate)
    {
        float b1 = _beta1;
        float b2 = _beta2;
        float oneMinusB1 = 1f - b1;
        float oneMinusB2 = 1f - b2;
        float c1 = _correction1;
        float c2 = _correction2;
        float eps = _epsilon;
        float coupled = _coupledDecay;
        if (_decoupledDecay > 0)
        {
            // AdamW: w ← w·(1 − lr·λ) before the Adam update.
            System.Numerics.Tensors.TensorPrimitives.Multiply(w, 1f - (rate * _decoupledDecay), w);
        }

        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vb1 = Vector256.Create(b1);
            var vb2 = Vector256.Create(b2);
            var v1b1 = Vector256.Create(oneMinusB1);
            var v1b2 = Vector256.Create(oneMinusB2);
            var vc1 = Vector256.Create(c1);
            var vc2 = Vector256.Create(c2);
            var veps = Vector256.Create(eps);
            var vrate = Vector256.Create(rate);
            var vdecay = Vector256.Create(coupled);
            for (; i <= w.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> wi = Vector256.Create(w.Slice(i, 8));
                Vector256<float> gi = Vector256.Create(g.Slice(i, 8)) + (vdecay * wi);
                Vector256<float> mi = (vb1 * Vector256.Create(m.Slice(i, 8))) + (v1b1 * gi);
                Vector256<float> vi = (vb2 * Vector256.Create(v.Slice(i, 8))) + (v1b2 * gi * gi);
                mi.CopyTo(m.Slice(i, 8));
                vi.CopyTo(v.Slice(i, 8));
                Vector256<float> mHat = mi / vc1;
                Vector256<float> vHat = vi / vc2;
                (wi - (vrate * mHat / (Vector256.Sqrt(vHat) + veps))).CopyTo(w.Slice(i, 8));
            }
        }

        for (; i < w.Length; i++)
        {
            float gi = g[i] + (coupled * w[i]);
            m[i] = (b1 * m[i]) + (oneMinusB1 * gi);
            v[i] = (b2 * v[i]) + (oneMinusB2 * gi * gi);
            float mHat = m[i] / c1;
            float vHat = v[i] / c2;
            w[i] -= rate * mHat / (MathF.Sqrt(vHat) + eps);
        }
    }
}
