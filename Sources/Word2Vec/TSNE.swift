// t-SNE (van der Maaten & Hinton 2008), exact, by hand: word vectors laid out in 2-D for the Words tab's map.
import Foundation
import VersoNN

/// The layout's settings in one place.
public struct TSNEConfig: Sendable {
    /// The effective number of neighbours each point's Gaussian keeps (capped at (n − 1) / 3).
    public var perplexity = 30.0
    public var iterations = 500
    /// Early exaggeration: P is multiplied by this for the first `exaggerated` iterations.
    public var exaggeration = 12.0
    public var exaggerated = 100
    /// The exact gradient costs n² per iteration: beyond this many points the map is refused.
    public static let maxPoints = 2_000
    public init() {}
}

public enum TSNE {
    /// The joint probabilities P (n × n, symmetric, summing to 1) of the rows: for each row i a
    /// Gaussian over the others whose precision is searched so that its perplexity is `perplexity`,
    /// then P_ij = (p_j|i + p_i|j) / 2n. Distances are cosine distances of the unit rows.
    static func affinities(_ rows: [[Float]], perplexity wanted: Double) -> [Double] {
        let n = rows.count
        let unit = rows.map { unitVector($0) ?? $0 }
        var distance = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in (i + 1)..<n {
                let d = max(0, 1 - Double(dot(unit[i], unit[j])))
                distance[i * n + j] = d
                distance[j * n + i] = d
            }
        }
        let target = log(max(1, min(wanted, Double(n - 1) / 3)))
        var conditional = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            // Bisection on β = 1/2σ² until the entropy H(P_i) = ln(perplexity).
            var beta = 1.0, lo = 0.0, hi = Double.infinity
            var row = [Double](repeating: 0, count: n)
            for _ in 0..<64 {
                var sum = 0.0, weighted = 0.0
                for j in 0..<n where j != i {
                    row[j] = exp(-beta * distance[i * n + j])
                    sum += row[j]
                    weighted += row[j] * distance[i * n + j]
                }
                sum = max(sum, 1e-300)
                let entropy = log(sum) + beta * weighted / sum
                for j in 0..<n where j != i { row[j] /= sum }
                if abs(entropy - target) < 1e-6 { break }
                if entropy > target {
                    lo = beta
                    beta = hi.isFinite ? (beta + hi) / 2 : beta * 2
                } else {
                    hi = beta
                    beta = (beta + lo) / 2
                }
            }
            for j in 0..<n where j != i { conditional[i * n + j] = row[j] }
        }
        var p = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n where j != i {
                p[i * n + j] = max((conditional[i * n + j] + conditional[j * n + i]) / Double(2 * n), 1e-12)
            }
        }
        return p
    }

    /// KL(P ‖ Q) of a layout `y` (n × 2, row-major), and its gradient into `gradient`:
    /// q_ij = w_ij / Z with w_ij = 1 / (1 + |y_i − y_j|²), Z = Σ_{k≠l} w_kl;
    /// ∂C/∂y_i = 4 Σ_j (p_ij − q_ij) w_ij (y_i − y_j).
    static func cost(_ p: [Double], _ y: [Double], gradient: inout [Double]) -> Double {
        let n = y.count / 2
        var w = [Double](repeating: 0, count: n * n)
        var z = 0.0
        for i in 0..<n {
            for j in (i + 1)..<n {
                let dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1]
                let v = 1 / (1 + dx * dx + dy * dy)
                w[i * n + j] = v
                w[j * n + i] = v
                z += 2 * v
            }
        }
        var kl = 0.0
        for k in gradient.indices { gradient[k] = 0 }
        for i in 0..<n {
            for j in 0..<n where j != i {
                let q = max(w[i * n + j] / z, 1e-300), pij = p[i * n + j]
                kl += pij * log(pij / q)
                let f = 4 * (pij - q) * w[i * n + j]
                gradient[2 * i] += f * (y[2 * i] - y[2 * j])
                gradient[2 * i + 1] += f * (y[2 * i + 1] - y[2 * j + 1])
            }
        }
        return kl
    }

    /// The rows laid out in 2-D: started from their PCA projection (so the same rows always give
    /// the same map), then gradient descent with momentum and per-coordinate gains (the paper's
    /// schedule: momentum 0.5, then 0.8; P exaggerated at first).
    public static func layout(_ rows: [[Float]], config: TSNEConfig = TSNEConfig()) -> [(Double, Double)] {
        let n = rows.count
        guard n > 2 else { return PCA.project2D(rows) }
        let p = affinities(rows, perplexity: config.perplexity)
        let start = PCA.project2D(rows)
        let spread = max(start.map { max(abs($0.0), abs($0.1)) }.max() ?? 1, 1e-12)
        var y = start.flatMap { [$0.0 / spread * 1e-2, $0.1 / spread * 1e-2] }
        var velocity = [Double](repeating: 0, count: 2 * n), gains = [Double](repeating: 1, count: 2 * n)
        var gradient = velocity
        let rate = max(Double(n) / config.exaggeration / 4, 50)
        var exaggerated = p.map { $0 * config.exaggeration }
        for iteration in 0..<config.iterations {
            if iteration == config.exaggerated { exaggerated = p }
            _ = cost(exaggerated, y, gradient: &gradient)
            let momentum = iteration < 250 ? 0.5 : 0.8
            for k in 0..<(2 * n) {
                gains[k] = (gradient[k] > 0) != (velocity[k] > 0) ? gains[k] + 0.2 : max(gains[k] * 0.8, 0.01)
                velocity[k] = momentum * velocity[k] - rate * gains[k] * gradient[k]
                y[k] += velocity[k]
            }
        }
        return (0..<n).map { (y[2 * $0], y[2 * $0 + 1]) }
    }
}
