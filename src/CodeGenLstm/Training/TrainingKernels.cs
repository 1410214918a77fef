using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using CodeGenLstm.Generated;
using V128 = CodeGenLstm.TrainingKernels.Vectorized<CodeGenLstm.Generated.KernelOps128, System.Runtime.Intrinsics.Vector128<float>, System.Runtime.Intrinsics.Vector128<double>>;
using V256 = CodeGenLstm.TrainingKernels.Vectorized<CodeGenLstm.Generated.KernelOps256, System.Runtime.Intrinsics.Vector256<float>, System.Runtime.Intrinsics.Vector256<double>>;
using V512 = CodeGenLstm.TrainingKernels.Vectorized<CodeGenLstm.Generated.KernelOps512, System.Runtime.Intrinsics.Vector512<float>, System.Runtime.Intrinsics.Vector512<double>>;

namespace CodeGenLstm;

/// <summary>
/// The element-wise loops behind the optimizers, <see cref="Clip"/> and <see cref="Loss"/>.
/// Each kernel takes the vector width in bits (512, 256, 128, or anything else for the plain scalar
/// path): the public API passes <see cref="Simd.ActiveWidth"/>, and the tests pass every width, so
/// each path is checked against an independent double-precision computation on any machine (a
/// non-accelerated VectorXXX is emulated correctly, only slowly). A vector loop covers the largest
/// multiple of the width and returns where it stopped; the scalar loop finishes the tail, and is the
/// whole computation on the scalar path.
/// </summary>
/// <remarks>
/// The vector paths use MultiplyAddEstimate (fused where the hardware has FMA, separate multiply and
/// add elsewhere, never a slow emulated FMA), so results may differ from the scalar path and between
/// machines by a rounding, but for one width on one machine they are deterministic: the same inputs
/// always give the same bits, which is what exact resume needs. Nothing here allocates.
/// All spans a kernel receives have been length-checked by the public caller.
/// </remarks>
internal static class TrainingKernels
{
    // ---------------------------------------------------------------- sums of squares, scaling, clamping

    /// <summary>Σ x², accumulated in double (exact products of floats, so only the additions round).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double SumOfSquares(int width, ReadOnlySpan<float> x)
    {
        double sum = 0;
        int i = width switch
        {
            512 => V512.SumOfSquares(x, ref sum),
            256 => V256.SumOfSquares(x, ref sum),
            128 => V128.SumOfSquares(x, ref sum),
            _ => 0,
        };
        for (; i < x.Length; i++)
        {
            double v = x[i];
            sum += v * v;
        }
        return sum;
    }

    /// <summary>x *= factor.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Scale(int width, Span<float> x, float factor)
    {
        int i = width switch
        {
            512 => V512.Scale(x, factor),
            256 => V256.Scale(x, factor),
            128 => V128.Scale(x, factor),
            _ => 0,
        };
        for (; i < x.Length; i++)
            x[i] *= factor;
    }

    /// <summary>
    /// Clamps x to [-maxAbs, maxAbs] and returns the largest |x| before clamping. NaN elements stay
    /// NaN and make the result NaN; ±inf elements are clamped and make the result +inf.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float ClampMaxAbs(int width, Span<float> x, float maxAbs)
    {
        float largest = 0f;
        int i = width switch
        {
            512 => V512.ClampMaxAbs(x, maxAbs, ref largest),
            256 => V256.ClampMaxAbs(x, maxAbs, ref largest),
            128 => V128.ClampMaxAbs(x, maxAbs, ref largest),
            _ => 0,
        };
        for (; i < x.Length; i++)
        {
            float v = x[i];
            largest = MathF.Max(largest, MathF.Abs(v));
            x[i] = Math.Clamp(v, -maxAbs, maxAbs);
        }
        return largest;
    }

    // ---------------------------------------------------------------- optimizers

    /// <summary>
    /// One SGD step, as torch.optim.SGD (dampening 0): g' = g + wd p (when wd != 0); with momentum,
    /// buf = g' on the first step and buf = momentum buf + g' after, and the direction is
    /// g' + momentum buf (Nesterov) or buf; p = p - lr direction. <paramref name="buffer"/> is empty
    /// when momentum is 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Sgd(int width, Span<float> p, ReadOnlySpan<float> g, Span<float> buffer,
                             float lr, float weightDecay, float momentum, bool nesterov, bool firstStep)
    {
        var c = new SgdCoefficients(lr, weightDecay, momentum, nesterov, firstStep, !buffer.IsEmpty);
        int i = width switch
        {
            512 => V512.Sgd(p, g, buffer, c),
            256 => V256.Sgd(p, g, buffer, c),
            128 => V128.Sgd(p, g, buffer, c),
            _ => 0,
        };
        for (; i < p.Length; i++)
        {
            float gi = g[i];
            if (c.HasWeightDecay)
                gi += weightDecay * p[i];
            float d = gi;
            if (c.HasMomentum)
            {
                float b = firstStep ? gi : momentum * buffer[i] + gi;
                buffer[i] = b;
                d = nesterov ? gi + momentum * b : b;
            }
            p[i] -= lr * d;
        }
    }

    internal readonly record struct SgdCoefficients(
        float Lr, float WeightDecay, float Momentum, bool Nesterov, bool FirstStep, bool HasMomentum)
    {
        public bool HasWeightDecay => WeightDecay != 0f;
    }

    /// <summary>
    /// One Adam / AdamW step, as torch.optim.Adam's single-tensor path:
    /// g' = g + l2 p (when l2 != 0); p = decay p (AdamW, when decay != 1);
    /// m = m + (1 - beta1)(g' - m) (torch's lerp); v = beta2 v + (1 - beta2) g'²;
    /// p = p - stepSize m / (sqrt(v) / bc2Sqrt + eps), with stepSize = lr / (1 - beta1^t) and
    /// bc2Sqrt = sqrt(1 - beta2^t) computed in double by the caller, as torch computes them in Python floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Adam(int width, Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
                              in AdamCoefficients c)
    {
        int i = width switch
        {
            512 => V512.Adam(p, g, m, v, c),
            256 => V256.Adam(p, g, m, v, c),
            128 => V128.Adam(p, g, m, v, c),
            _ => 0,
        };
        for (; i < p.Length; i++)
        {
            float pi = p[i];
            float gi = g[i];
            if (c.L2 != 0f)
                gi += c.L2 * pi;
            if (c.Decay != 1f)
                pi *= c.Decay;
            float mi = m[i] + c.OneMinusBeta1 * (gi - m[i]);
            float vi = v[i] * c.Beta2 + c.OneMinusBeta2 * (gi * gi);
            m[i] = mi;
            v[i] = vi;
            float denom = MathF.Sqrt(vi) / c.Bc2Sqrt + c.Epsilon;
            p[i] = pi + c.NegStepSize * (mi / denom);
        }
    }

    /// <summary>The per-step scalars of <see cref="Adam"/>.</summary>
    internal readonly record struct AdamCoefficients(
        float L2, float Decay, float OneMinusBeta1, float Beta2, float OneMinusBeta2,
        float Bc2Sqrt, float Epsilon, float NegStepSize);

    /// <summary>
    /// One RMSprop step, as torch.optim.RMSprop: g' = g + wd p (when wd != 0);
    /// v = alpha v + (1 - alpha) g'²; centered: gAvg = gAvg + (1 - alpha)(g' - gAvg) and
    /// avg = sqrt(max(v - gAvg², 0)) + eps, else avg = sqrt(v) + eps; with momentum:
    /// buf = momentum buf + g' / avg and p = p - lr buf, else p = p - lr g' / avg.
    /// <paramref name="gradAvg"/> is empty unless centered, <paramref name="buffer"/> unless momentum &gt; 0.
    /// (torch takes the square root of v - gAvg² unclamped, which a rounding can make NaN; the clamp
    /// only differs where torch would produce NaN.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RmsProp(int width, Span<float> p, ReadOnlySpan<float> g, Span<float> v, Span<float> gradAvg,
                                 Span<float> buffer, in RmsPropCoefficients c)
    {
        int i = width switch
        {
            512 => V512.RmsProp(p, g, v, gradAvg, buffer, c),
            256 => V256.RmsProp(p, g, v, gradAvg, buffer, c),
            128 => V128.RmsProp(p, g, v, gradAvg, buffer, c),
            _ => 0,
        };
        bool centered = !gradAvg.IsEmpty;
        bool hasMomentum = !buffer.IsEmpty;
        for (; i < p.Length; i++)
        {
            float pi = p[i];
            float gi = g[i];
            if (c.WeightDecay != 0f)
                gi += c.WeightDecay * pi;
            float vi = v[i] * c.Alpha + c.OneMinusAlpha * (gi * gi);
            v[i] = vi;
            float avg;
            if (centered)
            {
                float ga = gradAvg[i] + c.OneMinusAlpha * (gi - gradAvg[i]);
                gradAvg[i] = ga;
                avg = MathF.Sqrt(MathF.Max(vi - ga * ga, 0f)) + c.Epsilon;
            }
            else
            {
                avg = MathF.Sqrt(vi) + c.Epsilon;
            }
            if (hasMomentum)
            {
                float b = buffer[i] * c.Momentum + gi / avg;
                buffer[i] = b;
                p[i] = pi - c.Lr * b;
            }
            else
            {
                p[i] = pi - c.Lr * (gi / avg);
            }
        }
    }

    /// <summary>The per-step scalars of <see cref="RmsProp"/>.</summary>
    internal readonly record struct RmsPropCoefficients(
        float Lr, float Alpha, float OneMinusAlpha, float Epsilon, float WeightDecay, float Momentum);

    // ---------------------------------------------------------------- losses

    /// <summary>
    /// Σ (p - t)², accumulated in double, and gradient = (p - t) * scale when the gradient span is not
    /// empty.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double SquaredError(int width, ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets,
                                        Span<float> gradient, float scale)
    {
        double sum = 0;
        int i = width switch
        {
            512 => V512.SquaredError(predictions, targets, gradient, scale, ref sum),
            256 => V256.SquaredError(predictions, targets, gradient, scale, ref sum),
            128 => V128.SquaredError(predictions, targets, gradient, scale, ref sum),
            _ => 0,
        };
        bool writeGradient = !gradient.IsEmpty;
        for (; i < predictions.Length; i++)
        {
            float d = predictions[i] - targets[i];
            sum += (double)d * d;
            if (writeGradient)
                gradient[i] = d * scale;
        }
        return sum;
    }

    /// <summary>The largest element (NaN if any element is NaN); -inf for an empty span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float Max(int width, ReadOnlySpan<float> x)
    {
        float max = float.NegativeInfinity;
        int i = width switch
        {
            512 => V512.Max(x, ref max),
            256 => V256.Max(x, ref max),
            128 => V128.Max(x, ref max),
            _ => 0,
        };
        for (; i < x.Length; i++)
            max = MathF.Max(max, x[i]);
        return max;
    }

    /// <summary>
    /// Σ exp(x - shift), with each exp(x - shift) written to <paramref name="destination"/> when it is
    /// not empty. With shift = max(x) every term is in [0, 1] and the sum in [1, x.Length].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float ExpSum(int width, ReadOnlySpan<float> x, float shift, Span<float> destination)
    {
        float sum = 0f;
        int i = width switch
        {
            512 => V512.ExpSum(x, shift, destination, ref sum),
            256 => V256.ExpSum(x, shift, destination, ref sum),
            128 => V128.ExpSum(x, shift, destination, ref sum),
            _ => 0,
        };
        bool write = !destination.IsEmpty;
        for (; i < x.Length; i++)
        {
            float e = MathF.Exp(x[i] - shift);
            sum += e;
            if (write)
                destination[i] = e;
        }
        return sum;
    }

    /// <summary>
    /// The vector loops of the kernels above, written once for every width over <see cref="IVectorOps{TVec, TDbl}"/>
    /// (KernelOps512, KernelOps256, KernelOps128; V512, V256 and V128 at the top of this file): each covers the
    /// largest multiple of the width and returns where it stopped.
    /// </summary>
    internal static class Vectorized<TOps, TVec, TDbl>
        where TOps : struct, IVectorOps<TVec, TDbl>
        where TVec : struct
        where TDbl : struct
    {
        internal static int SumOfSquares(ReadOnlySpan<float> x, ref double sum)
        {
            int w = TOps.Count;
            int i = 0;
            // Two pairs of accumulators: independent dependency chains keep the adders busy.
            TDbl a0 = TOps.ZeroDouble, a1 = TOps.ZeroDouble, a2 = TOps.ZeroDouble, a3 = TOps.ZeroDouble;
            for (; i <= x.Length - 2 * w; i += 2 * w)
            {
                TOps.AddSquares(TOps.Load(x, i), ref a0, ref a1);
                TOps.AddSquares(TOps.Load(x, i + w), ref a2, ref a3);
            }
            for (; i <= x.Length - w; i += w)
                TOps.AddSquares(TOps.Load(x, i), ref a0, ref a1);
            sum += TOps.SumDouble(a0, a1) + TOps.SumDouble(a2, a3);
            return i;
        }

        internal static int Scale(Span<float> x, float factor)
        {
            int w = TOps.Count;
            TVec f = TOps.Create(factor);
            int i = 0;
            for (; i <= x.Length - w; i += w)
                TOps.Store(TOps.Multiply(TOps.Load(x, i), f), x, i);
            return i;
        }

        internal static int ClampMaxAbs(Span<float> x, float maxAbs, ref float largest)
        {
            int w = TOps.Count;
            TVec hi = TOps.Create(maxAbs);
            TVec lo = TOps.Create(-maxAbs);
            TVec acc = TOps.Create(0f);
            int i = 0;
            for (; i <= x.Length - w; i += w)
            {
                TVec v = TOps.Load(x, i);
                acc = TOps.Max(acc, TOps.Abs(v));
                TOps.Store(TOps.Clamp(v, lo, hi), x, i);
            }
            largest = MathF.Max(largest, TOps.MaxAcross(acc));
            return i;
        }

        internal static int Sgd(Span<float> p, ReadOnlySpan<float> g, Span<float> buffer, SgdCoefficients c)
        {
            int w = TOps.Count;
            TVec negLr = TOps.Create(-c.Lr);
            TVec wd = TOps.Create(c.WeightDecay);
            TVec mom = TOps.Create(c.Momentum);
            bool hasWd = c.HasWeightDecay;
            int i = 0;
            for (; i <= p.Length - w; i += w)
            {
                TVec pv = TOps.Load(p, i);
                TVec gv = TOps.Load(g, i);
                if (hasWd)
                    gv = TOps.MultiplyAdd(wd, pv, gv);
                TVec d = gv;
                if (c.HasMomentum)
                {
                    TVec b = c.FirstStep ? gv : TOps.MultiplyAdd(mom, TOps.Load(buffer, i), gv);
                    TOps.Store(b, buffer, i);
                    d = c.Nesterov ? TOps.MultiplyAdd(mom, b, gv) : b;
                }
                TOps.Store(TOps.MultiplyAdd(negLr, d, pv), p, i);
            }
            return i;
        }

        internal static int Adam(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, in AdamCoefficients c)
        {
            int w = TOps.Count;
            bool hasL2 = c.L2 != 0f;
            bool hasDecay = c.Decay != 1f;
            TVec l2 = TOps.Create(c.L2);
            TVec decay = TOps.Create(c.Decay);
            TVec omb1 = TOps.Create(c.OneMinusBeta1);
            TVec b2 = TOps.Create(c.Beta2);
            TVec omb2 = TOps.Create(c.OneMinusBeta2);
            TVec bc2 = TOps.Create(c.Bc2Sqrt);
            TVec eps = TOps.Create(c.Epsilon);
            TVec negStep = TOps.Create(c.NegStepSize);
            int i = 0;
            for (; i <= p.Length - w; i += w)
            {
                TVec pv = TOps.Load(p, i);
                TVec gv = TOps.Load(g, i);
                if (hasL2)
                    gv = TOps.MultiplyAdd(l2, pv, gv);
                if (hasDecay)
                    pv = TOps.Multiply(pv, decay);
                TVec mv = TOps.Load(m, i);
                mv = TOps.MultiplyAdd(omb1, TOps.Subtract(gv, mv), mv);
                TVec vv = TOps.MultiplyAdd(omb2, TOps.Multiply(gv, gv), TOps.Multiply(TOps.Load(v, i), b2));
                TOps.Store(mv, m, i);
                TOps.Store(vv, v, i);
                TVec denom = TOps.Add(TOps.Divide(TOps.Sqrt(vv), bc2), eps);
                TOps.Store(TOps.MultiplyAdd(negStep, TOps.Divide(mv, denom), pv), p, i);
            }
            return i;
        }

        internal static int RmsProp(Span<float> p, ReadOnlySpan<float> g, Span<float> v, Span<float> gradAvg, Span<float> buffer, in RmsPropCoefficients c)
        {
            int w = TOps.Count;
            bool hasWd = c.WeightDecay != 0f;
            bool centered = !gradAvg.IsEmpty;
            bool hasMomentum = !buffer.IsEmpty;
            TVec wd = TOps.Create(c.WeightDecay);
            TVec alpha = TOps.Create(c.Alpha);
            TVec oma = TOps.Create(c.OneMinusAlpha);
            TVec eps = TOps.Create(c.Epsilon);
            TVec mom = TOps.Create(c.Momentum);
            TVec negLr = TOps.Create(-c.Lr);
            TVec zero = TOps.Create(0f);
            int i = 0;
            for (; i <= p.Length - w; i += w)
            {
                TVec pv = TOps.Load(p, i);
                TVec gv = TOps.Load(g, i);
                if (hasWd)
                    gv = TOps.MultiplyAdd(wd, pv, gv);
                TVec vv = TOps.MultiplyAdd(oma, TOps.Multiply(gv, gv), TOps.Multiply(TOps.Load(v, i), alpha));
                TOps.Store(vv, v, i);
                TVec avg;
                if (centered)
                {
                    TVec ga = TOps.Load(gradAvg, i);
                    ga = TOps.MultiplyAdd(oma, TOps.Subtract(gv, ga), ga);
                    TOps.Store(ga, gradAvg, i);
                    avg = TOps.Add(TOps.Sqrt(TOps.Max(TOps.Subtract(vv, TOps.Multiply(ga, ga)), zero)), eps);
                }
                else
                {
                    avg = TOps.Add(TOps.Sqrt(vv), eps);
                }
                TVec step = TOps.Divide(gv, avg);
                if (hasMomentum)
                {
                    step = TOps.MultiplyAdd(TOps.Load(buffer, i), mom, step);
                    TOps.Store(step, buffer, i);
                }
                TOps.Store(TOps.MultiplyAdd(negLr, step, pv), p, i);
            }
            return i;
        }

        internal static int SquaredError(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> gradient, float scale, ref double sum)
        {
            int w = TOps.Count;
            bool writeGradient = !gradient.IsEmpty;
            TVec s = TOps.Create(scale);
            TDbl a0 = TOps.ZeroDouble, a1 = TOps.ZeroDouble;
            int i = 0;
            for (; i <= predictions.Length - w; i += w)
            {
                TVec d = TOps.Subtract(TOps.Load(predictions, i), TOps.Load(targets, i));
                TOps.AddSquares(d, ref a0, ref a1);
                if (writeGradient)
                    TOps.Store(TOps.Multiply(d, s), gradient, i);
            }
            sum += TOps.SumDouble(a0, a1);
            return i;
        }

        internal static int Max(ReadOnlySpan<float> x, ref float max)
        {
            int w = TOps.Count;
            if (x.Length < w)
                return 0;
            TVec acc = TOps.Load(x, 0);
            int i = w;
            for (; i <= x.Length - w; i += w)
                acc = TOps.Max(acc, TOps.Load(x, i));
            max = MathF.Max(max, TOps.MaxAcross(acc));
            return i;
        }

        internal static int ExpSum(ReadOnlySpan<float> x, float shift, Span<float> destination, ref float sum)
        {
            int w = TOps.Count;
            bool write = !destination.IsEmpty;
            TVec s = TOps.Create(shift);
            TVec acc = TOps.Create(0f);
            int i = 0;
            for (; i <= x.Length - w; i += w)
            {
                TVec e = TOps.Exp(TOps.Subtract(TOps.Load(x, i), s));
                acc = TOps.Add(acc, e);
                if (write)
                    TOps.Store(e, destination, i);
            }
            sum += TOps.Sum(acc);
            return i;
        }
    }
}
