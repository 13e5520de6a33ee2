using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FTLPortal.Learning.Kernels;

/// <summary>
/// Single-precision matrix multiply C (+)= op(A)·op(B) on row-major storage, BLIS style: B is packed into Nr-column
/// slivers, A into Mr-row slivers, and an Mr×Nr micro-kernel keeps its accumulators in registers: 12×32 with Vector512
/// FMA where AVX-512 is present, else 6×16 with Vector256 FMA.
/// Work is split over <see cref="ComputeThreads"/> by output tiles, so every element is summed in the same order whatever
/// the thread count (bit-identical results).
/// </summary>
public static class Gemm
{
    // 12×32 tiles on AVX-512 machines (24 zmm accumulators of the 32), 6×16 on AVX2 (12 ymm of the 16).
    private static readonly bool UseAvx512 = Avx512F.IsSupported;
    private static readonly int Mr = UseAvx512 ? 12 : 6;
    private static readonly int Nr = UseAvx512 ? 32 : 16;
    private const int Kc = 256;
    private const int Mc = 144;
    private const int Nc = 3072;

    // Below this many multiply-adds a second thread costs more to wake than it saves.
    private const long ParallelThreshold = 1L << 18;

    [ThreadStatic]
    private static float[]? t_packA;

    [ThreadStatic]
    private static float[]? t_packB;

    [ThreadStatic]
    private static GemmWork? t_work;

    /// <summary>
    /// C[m×n] = op(A)[m×k]·op(B)[k×n], or C += … when <paramref name="accumulate"/>. op(A)(i, p) is a[i·lda + p], or a[p·lda + i]
    /// when <paramref name="transposeA"/>; likewise for B. <paramref name="threads"/> 0 means <see cref="ComputeThreads.Count"/>.
    /// </summary>
    public static unsafe void Multiply(
        int m,
        int n,
        int k,
        ReadOnlySpan<float> a,
        int lda,
        bool transposeA,
        ReadOnlySpan<float> b,
        int ldb,
        bool transposeB,
        Span<float> c,
        int ldc,
        bool accumulate,
        int threads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        if (m == 0 || n == 0)
        {
            return;
        }

        CheckExtent(a.Length, transposeA ? k : m, transposeA ? m : k, lda, nameof(a));
        CheckExtent(b.Length, transposeB ? n : k, transposeB ? k : n, ldb, nameof(b));
        CheckExtent(c.Length, m, n, ldc, nameof(c));
        if (k == 0)
        {
            if (!accumulate)
            {
                for (int i = 0; i < m; i++)
                {
                    c.Slice(i * ldc, n).Clear();
                }
            }

            return;
        }

        int parts = threads == 0 ? ComputeThreads.Count : threads;
        if ((long)m * n * k < ParallelThreshold)
        {
            parts = 1;
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            GemmWork work = t_work ??= new GemmWork();
            work.Set(m, n, k, pa, lda, transposeA, pb, ldb, transposeB, pc, ldc, accumulate);
            if (parts <= 1)
            {
                work.Execute(0, 1);
            }
            else
            {
                WorkerPool.Shared.Run(work, parts);
            }
        }
    }

    private static void CheckExtent(int length, int rows, int columns, int stride, string name)
    {
        if (rows == 0 || columns == 0)
        {
            return;
        }

        if (stride < columns || length < ((long)(rows - 1) * stride) + columns)
        {
            throw new ArgumentException($"A {rows}×{columns} matrix with stride {stride} does not fit in {length} values.", name);
        }
    }

    private static float[] Buffer(ref float[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length)
        {
            // Pinned so the packed panels can be addressed by pointer without fixing them on every call.
            buffer = GC.AllocateUninitializedArray<float>(length, pinned: true);
        }

        return buffer;
    }

    private static unsafe void Compute(GemmWork w, int i0, int i1, int j0, int j1)
    {
        int k = w.K;
        int width = j1 - j0;
        int ncMax = Math.Min(Nc, RoundUp(width, Nr));
        float[] packA = Buffer(ref t_packA, Mc * Kc);
        float[] packB = Buffer(ref t_packB, Kc * ncMax);
        float* tile = stackalloc float[12 * 32];
        fixed (float* pa = packA)
        fixed (float* pb = packB)
        {
            for (int jc = j0; jc < j1; jc += Nc)
            {
                int nc = Math.Min(Nc, j1 - jc);
                for (int pc = 0; pc < k; pc += Kc)
                {
                    int kc = Math.Min(Kc, k - pc);
                    PackB(w, pc, kc, jc, nc, pb);
                    bool accumulate = w.Accumulate || pc > 0;
                    for (int ic = i0; ic < i1; ic += Mc)
                    {
                        int mc = Math.Min(Mc, i1 - ic);
                        PackA(w, ic, mc, pc, kc, pa);
                        for (int jr = 0; jr < nc; jr += Nr)
                        {
                            int nr = Math.Min(Nr, nc - jr);
                            float* bSliver = pb + (jr * kc);
                            for (int ir = 0; ir < mc; ir += Mr)
                            {
                                int mr = Math.Min(Mr, mc - ir);
                                float* aSliver = pa + (ir * kc);
                                float* cp = w.C + ((long)(ic + ir) * w.Ldc) + jc + jr;
                                if (mr == Mr && nr == Nr)
                                {
                                    Kernel(kc, aSliver, bSliver, cp, w.Ldc, accumulate);
                                }
                                else
                                {
                                    Kernel(kc, aSliver, bSliver, tile, Nr, accumulate: false);
                                    for (int r = 0; r < mr; r++)
                                    {
                                        float* row = cp + ((long)r * w.Ldc);
                                        float* source = tile + (r * Nr);
                                        int j = 0;
                                        for (; j <= nr - 8; j += 8)
                                        {
                                            // Full-width rows of a short tile (few output channels) are common: copy them by vector.
                                            Vector256<float> value = Vector256.Load(source + j);
                                            Vector256.Store(accumulate ? value + Vector256.Load(row + j) : value, row + j);
                                        }

                                        for (; j < nr; j++)
                                        {
                                            row[j] = accumulate ? row[j] + source[j] : source[j];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    // Packs op(A)[ic..ic+mc, pc..pc+kc] as 6-row slivers, k-major, zero-padded to a multiple of 6 rows.
    private static unsafe void PackA(GemmWork w, int ic, int mc, int pc, int kc, float* dst)
    {
        float* a = w.A;
        long lda = w.Lda;
        for (int s = 0; s < mc; s += Mr)
        {
            int rows = Math.Min(Mr, mc - s);
            float* d = dst + (s * kc);
            if (!w.TransposeA && rows == Mr && kc % 8 == 0 && Mr == 12)
            {
                // Full sliver: transpose 8×8 blocks in registers (unpack/shuffle/permute) so both the reads of the Mr
                // source rows and the writes of the packed panel are whole vectors.
                float* src = a + ((ic + s) * lda) + pc;
                for (int p = 0; p < kc; p += 8)
                {
                    Transpose8(src + p, lda, d + (p * Mr), Mr);
                    float* tail = d + (p * Mr) + 8;
                    float* rows8 = src + (8 * lda) + p;
                    for (int q = 0; q < 8; q++)
                    {
                        float* dq = tail + (q * Mr);
                        dq[0] = rows8[q];
                        dq[1] = rows8[lda + q];
                        dq[2] = rows8[(2 * lda) + q];
                        dq[3] = rows8[(3 * lda) + q];
                    }
                }
            }
            else if (!w.TransposeA)
            {
                for (int r = 0; r < Mr; r++)
                {
                    float* src = r < rows ? a + ((ic + s + r) * lda) + pc : null;
                    PackLane(src, kc, d, r, Mr);
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    CopyZeroPadded(a + ((pc + p) * lda) + ic + s, rows, d + (p * Mr), Mr);
                }
            }
        }
    }

    // dst[q·ldd + r] = src[r·lds + q] for an 8×8 block: the classic AVX unpack/shuffle/permute transpose.
    private static unsafe void Transpose8(float* src, long lds, float* dst, int ldd)
    {
        Vector256<float> r0 = Avx.LoadVector256(src);
        Vector256<float> r1 = Avx.LoadVector256(src + lds);
        Vector256<float> r2 = Avx.LoadVector256(src + (2 * lds));
        Vector256<float> r3 = Avx.LoadVector256(src + (3 * lds));
        Vector256<float> r4 = Avx.LoadVector256(src + (4 * lds));
        Vector256<float> r5 = Avx.LoadVector256(src + (5 * lds));
        Vector256<float> r6 = Avx.LoadVector256(src + (6 * lds));
        Vector256<float> r7 = Avx.LoadVector256(src + (7 * lds));
        Vector256<float> t0 = Avx.UnpackLow(r0, r1);
        Vector256<float> t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3);
        Vector256<float> t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5);
        Vector256<float> t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7);
        Vector256<float> t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44);
        Vector256<float> u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44);
        Vector256<float> u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44);
        Vector256<float> u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44);
        Vector256<float> u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + ldd, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + (2 * ldd), Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + (3 * ldd), Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + (4 * ldd), Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + (5 * ldd), Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + (6 * ldd), Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + (7 * ldd), Avx.Permute2x128(u3, u7, 0x31));
    }

    // Packs op(B)[pc..pc+kc, jc..jc+nc] as 16-column slivers, k-major, zero-padded to a multiple of 16 columns.
    private static unsafe void PackB(GemmWork w, int pc, int kc, int jc, int nc, float* dst)
    {
        float* b = w.B;
        long ldb = w.Ldb;
        for (int t = 0; t < nc; t += Nr)
        {
            int cols = Math.Min(Nr, nc - t);
            float* d = dst + (t * kc);
            if (!w.TransposeB)
            {
                for (int p = 0; p < kc; p++)
                {
                    float* src = b + ((pc + p) * ldb) + jc + t;
                    float* dp = d + (p * Nr);
                    if (cols == Nr)
                    {
                        for (int j = 0; j < Nr; j += 8)
                        {
                            Vector256.Store(Vector256.Load(src + j), dp + j);
                        }
                    }
                    else
                    {
                        CopyZeroPadded(src, cols, dp, Nr);
                    }
                }
            }
            else
            {
                for (int j = 0; j < Nr; j++)
                {
                    float* src = j < cols ? b + ((jc + t + j) * ldb) + pc : null;
                    PackLane(src, kc, d, j, Nr);
                }
            }
        }
    }

    // Fills lane `lane` of a k-major panel `width` lanes wide with kc consecutive source values, or with zeros where
    // src is null (the padding lanes past the matrix edge). Shared by the strided paths of PackA and PackB.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PackLane(float* src, int kc, float* panel, int lane, int width)
    {
        if (src != null)
        {
            for (int p = 0; p < kc; p++)
            {
                panel[(p * width) + lane] = src[p];
            }
        }
        else
        {
            for (int p = 0; p < kc; p++)
            {
                panel[(p * width) + lane] = 0f;
            }
        }
    }

    // Copies count values to dst and zeros the rest up to width: one k-step of a sliver cut short by the matrix edge.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void CopyZeroPadded(float* src, int count, float* dst, int width)
    {
        int i = 0;
        for (; i < count; i++)
        {
            dst[i] = src[i];
        }

        for (; i < width; i++)
        {
            dst[i] = 0f;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Kernel(int kc, float* a, float* b, float* c, int ldc, bool accumulate)
    {
        if (UseAvx512)
        {
            KernelAvx512(kc, a, b, c, ldc, accumulate);
        }
        else if (Fma.IsSupported)
        {
            KernelFma(kc, a, b, c, ldc, accumulate);
        }
        else
        {
            KernelPortable(kc, a, b, c, ldc, accumulate);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void KernelAvx512(int kc, float* a, float* b, float* c, int ldc, bool accumulate)
    {
        Vector512<float> c00 = Vector512<float>.Zero, c01 = Vector512<float>.Zero;
        Vector512<float> c10 = Vector512<float>.Zero, c11 = Vector512<float>.Zero;
        Vector512<float> c20 = Vector512<float>.Zero, c21 = Vector512<float>.Zero;
        Vector512<float> c30 = Vector512<float>.Zero, c31 = Vector512<float>.Zero;
        Vector512<float> c40 = Vector512<float>.Zero, c41 = Vector512<float>.Zero;
        Vector512<float> c50 = Vector512<float>.Zero, c51 = Vector512<float>.Zero;
        Vector512<float> c60 = Vector512<float>.Zero, c61 = Vector512<float>.Zero;
        Vector512<float> c70 = Vector512<float>.Zero, c71 = Vector512<float>.Zero;
        Vector512<float> c80 = Vector512<float>.Zero, c81 = Vector512<float>.Zero;
        Vector512<float> c90 = Vector512<float>.Zero, c91 = Vector512<float>.Zero;
        Vector512<float> c100 = Vector512<float>.Zero, c101 = Vector512<float>.Zero;
        Vector512<float> c110 = Vector512<float>.Zero, c111 = Vector512<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Avx512F.LoadVector512(b);
            Vector512<float> b1 = Avx512F.LoadVector512(b + 16);
            Vector512<float> x;
            x = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(x, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(x, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(x, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(x, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]);
            c40 = Avx512F.FusedMultiplyAdd(x, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]);
            c50 = Avx512F.FusedMultiplyAdd(x, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a[6]);
            c60 = Avx512F.FusedMultiplyAdd(x, b0, c60);
            c61 = Avx512F.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a[7]);
            c70 = Avx512F.FusedMultiplyAdd(x, b0, c70);
            c71 = Avx512F.FusedMultiplyAdd(x, b1, c71);
            x = Vector512.Create(a[8]);
            c80 = Avx512F.FusedMultiplyAdd(x, b0, c80);
            c81 = Avx512F.FusedMultiplyAdd(x, b1, c81);
            x = Vector512.Create(a[9]);
            c90 = Avx512F.FusedMultiplyAdd(x, b0, c90);
            c91 = Avx512F.FusedMultiplyAdd(x, b1, c91);
            x = Vector512.Create(a[10]);
            c100 = Avx512F.FusedMultiplyAdd(x, b0, c100);
            c101 = Avx512F.FusedMultiplyAdd(x, b1, c101);
            x = Vector512.Create(a[11]);
            c110 = Avx512F.FusedMultiplyAdd(x, b0, c110);
            c111 = Avx512F.FusedMultiplyAdd(x, b1, c111);
            a += 12;
            b += 32;
        }

        StoreRow512(c + (0 * ldc), c00, c01, accumulate);
        StoreRow512(c + (1 * ldc), c10, c11, accumulate);
        StoreRow512(c + (2 * ldc), c20, c21, accumulate);
        StoreRow512(c + (3 * ldc), c30, c31, accumulate);
        StoreRow512(c + (4 * ldc), c40, c41, accumulate);
        StoreRow512(c + (5 * ldc), c50, c51, accumulate);
        StoreRow512(c + (6 * ldc), c60, c61, accumulate);
        StoreRow512(c + (7 * ldc), c70, c71, accumulate);
        StoreRow512(c + (8 * ldc), c80, c81, accumulate);
        StoreRow512(c + (9 * ldc), c90, c91, accumulate);
        StoreRow512(c + (10 * ldc), c100, c101, accumulate);
        StoreRow512(c + (11 * ldc), c110, c111, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow512(float* c, Vector512<float> low, Vector512<float> high, bool accumulate)
    {
        if (accumulate)
        {
            low = Avx512F.Add(low, Avx512F.LoadVector512(c));
            high = Avx512F.Add(high, Avx512F.LoadVector512(c + 16));
        }

        Avx512F.Store(c, low);
        Avx512F.Store(c + 16, high);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void KernelFma(int kc, float* a, float* b, float* c, int ldc, bool accumulate)
    {
        Vector256<float> c00 = Vector256<float>.Zero, c01 = Vector256<float>.Zero;
        Vector256<float> c10 = Vector256<float>.Zero, c11 = Vector256<float>.Zero;
        Vector256<float> c20 = Vector256<float>.Zero, c21 = Vector256<float>.Zero;
        Vector256<float> c30 = Vector256<float>.Zero, c31 = Vector256<float>.Zero;
        Vector256<float> c40 = Vector256<float>.Zero, c41 = Vector256<float>.Zero;
        Vector256<float> c50 = Vector256<float>.Zero, c51 = Vector256<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Avx.LoadVector256(b);
            Vector256<float> b1 = Avx.LoadVector256(b + 8);
            Vector256<float> x = Avx.BroadcastScalarToVector256(a);
            c00 = Fma.MultiplyAdd(x, b0, c00);
            c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Avx.BroadcastScalarToVector256(a + 1);
            c10 = Fma.MultiplyAdd(x, b0, c10);
            c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Avx.BroadcastScalarToVector256(a + 2);
            c20 = Fma.MultiplyAdd(x, b0, c20);
            c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Avx.BroadcastScalarToVector256(a + 3);
            c30 = Fma.MultiplyAdd(x, b0, c30);
            c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Avx.BroadcastScalarToVector256(a + 4);
            c40 = Fma.MultiplyAdd(x, b0, c40);
            c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Avx.BroadcastScalarToVector256(a + 5);
            c50 = Fma.MultiplyAdd(x, b0, c50);
            c51 = Fma.MultiplyAdd(x, b1, c51);
            a += 6;
            b += 16;
        }

        StoreRow(c, c00, c01, accumulate);
        StoreRow(c + ldc, c10, c11, accumulate);
        StoreRow(c + (2 * ldc), c20, c21, accumulate);
        StoreRow(c + (3 * ldc), c30, c31, accumulate);
        StoreRow(c + (4 * ldc), c40, c41, accumulate);
        StoreRow(c + (5 * ldc), c50, c51, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow(float* c, Vector256<float> low, Vector256<float> high, bool accumulate)
    {
        if (accumulate)
        {
            low = Avx.Add(low, Avx.LoadVector256(c));
            high = Avx.Add(high, Avx.LoadVector256(c + 8));
        }

        Avx.Store(c, low);
        Avx.Store(c + 8, high);
    }

    private static unsafe void KernelPortable(int kc, float* a, float* b, float* c, int ldc, bool accumulate)
    {
        float* sums = stackalloc float[12 * 32];
        new Span<float>(sums, Mr * Nr).Clear();
        for (int p = 0; p < kc; p++)
        {
            for (int r = 0; r < Mr; r++)
            {
                float x = a[(p * Mr) + r];
                for (int j = 0; j < Nr; j++)
                {
                    sums[(r * Nr) + j] += x * b[(p * Nr) + j];
                }
            }
        }

        for (int r = 0; r < Mr; r++)
        {
            for (int j = 0; j < Nr; j++)
            {
                c[(r * ldc) + j] = accumulate ? c[(r * ldc) + j] + sums[(r * Nr) + j] : sums[(r * Nr) + j];
            }
        }
    }

    // Holds one call's operands for the worker threads; one instance per calling thread, reused (no allocation per call).
    private sealed unsafe class GemmWork : IParallelWork
    {
        public int M { get; private set; }

        public int N { get; private set; }

        public int K { get; private set; }

        public float* A { get; private set; }

        public int Lda { get; private set; }

        public bool TransposeA { get; private set; }

        public float* B { get; private set; }

        public int Ldb { get; private set; }

        public bool TransposeB { get; private set; }

        public float* C { get; private set; }

        public int Ldc { get; private set; }

        public bool Accumulate { get; private set; }

        public void Set(int m, int n, int k, float* a, int lda, bool transposeA, float* b, int ldb, bool transposeB, float* c, int ldc, bool accumulate)
        {
            M = m;
            N = n;
            K = k;
            A = a;
            Lda = lda;
            TransposeA = transposeA;
            B = b;
            Ldb = ldb;
            TransposeB = transposeB;
            C = c;
            Ldc = ldc;
            Accumulate = accumulate;
        }

        public void Execute(int part, int parts)
        {
            // Split the dimension with more tiles; boundaries fall on tile edges so each element's sum order is fixed.
            int rowTiles = (M + Mr - 1) / Mr;
            int columnTiles = (N + Nr - 1) / Nr;
            if (columnTiles >= rowTiles || columnTiles >= 2 * parts)
            {
                int t0 = (int)((long)columnTiles * part / parts);
                int t1 = (int)((long)columnTiles * (part + 1) / parts);
                if (t1 > t0)
                {
                    Compute(this, 0, M, t0 * Nr, Math.Min(N, t1 * Nr));
                }
            }
            else
            {
                int t0 = (int)((long)rowTiles * part / parts);
                int t1 = (int)((long)rowTiles * (part + 1) / parts);
                if (t1 > t0)
                {
                    Compute(this, t0 * Mr, Math.Min(M, t1 * Mr), 0, N);
                }
            }
        }
    }
}
