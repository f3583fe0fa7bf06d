// RMSprop and Adam over a flat ParameterSet, gradient clipping, and the max-norm weight constraint.
import Foundation

public enum OptimizerKind: String, Codable, Sendable, CaseIterable { case rmsprop, adam }
public enum ClipMode: String, Codable, Sendable, CaseIterable { case value, norm }

/// Keeps its moment estimates in flat buffers shaped like the parameters, so a checkpoint
/// stores them as two tensors and a resumed run continues bit for bit.
public final class Optimizer {
    public let kind: OptimizerKind
    public let alpha: Float  // RMSprop decay (char-rnn: 0.95)
    public let beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8
    public let first: FloatBuffer  // RMSprop: mean square; Adam: m
    public let second: FloatBuffer  // Adam: v (unused by RMSprop)
    public var t = 0  // Adam's step count (bias correction)

    public init(_ kind: OptimizerKind, parameterCount: Int, alpha: Float = 0.95) {
        self.kind = kind
        self.alpha = alpha
        first = FloatBuffer(parameterCount)
        second = FloatBuffer(kind == .adam ? parameterCount : 0)
    }

    /// One update of `params` from `params.grads` with learning rate `lr`.
    public func step(_ params: ParameterSet, lr: Float) {
        let p = params.values.p, g = params.grads.p, m = first.p, n = params.count
        switch kind {
        case .rmsprop:  // m = α·m + (1−α)·g²; p −= lr·g/(√m + ε)   (Tieleman & Hinton 2012, as char-rnn)
            let a = alpha, b = 1 - alpha, eps = epsilon
            for k in 0..<n {
                let gk = g[k]
                m[k] = a * m[k] + b * gk * gk
                p[k] -= lr * gk / (m[k].squareRoot() + eps)
            }
        case .adam:  // Kingma & Ba 2015, with bias correction folded into the step size
            t += 1
            let v = second.p, b1 = beta1, b2 = beta2, eps = epsilon
            let stepSize = lr * Float((1 - pow(Double(b2), Double(t))).squareRoot() / (1 - pow(Double(b1), Double(t))))
            for k in 0..<n {
                let gk = g[k]
                m[k] = b1 * m[k] + (1 - b1) * gk
                v[k] = b2 * v[k] + (1 - b2) * gk * gk
                p[k] -= stepSize * m[k] / (v[k].squareRoot() + eps)
            }
        }
    }
}

public enum GradientTools {
    /// Clamps each gradient to [−c, c] (char-rnn) or rescales all of them to global norm ≤ c.
    /// Returns the global norm before clipping.
    @discardableResult
    public static func clip(_ params: ParameterSet, mode: ClipMode, threshold c: Float) -> Float {
        let g = params.grads.p, n = params.count
        var sq: Double = 0
        for k in 0..<n { sq += Double(g[k] * g[k]) }
        let norm = Float(sq.squareRoot())
        guard c > 0 else { return norm }
        switch mode {
        case .value: for k in 0..<n { g[k] = min(max(g[k], -c), c) }
        case .norm where norm > c:
            let s = c / norm
            for k in 0..<n { g[k] *= s }
        case .norm: break
        }
        return norm
    }

    /// Max-norm constraint (Srebro & Shraibman 2005; Srivastava et al. 2014): every unit's vector of
    /// incoming weights (a column of each rows×cols weight matrix) is rescaled to norm ≤ c.
    public static func applyMaxNorm(_ params: ParameterSet, _ c: Float) {
        for s in params.slices where s.shape.count == 2 {
            let w = params.value(s.offset), rows = s.shape[0], cols = s.shape[1]
            var norms = [Float](repeating: 0, count: cols)
            for r in 0..<rows {
                let row = w + r * cols
                for j in 0..<cols { norms[j] += row[j] * row[j] }
            }
            for j in 0..<cols { norms[j] = norms[j] > c * c ? c / norms[j].squareRoot() : 1 }
            for r in 0..<rows {
                let row = w + r * cols
                for j in 0..<cols { row[j] *= norms[j] }
            }
        }
    }

    /// True when every gradient is finite (no NaN or infinity crept in).
    public static func allFinite(_ buffer: FloatBuffer) -> Bool {
        let p = buffer.p
        for k in 0..<buffer.count where !p[k].isFinite { return false }
        return true
    }
}
