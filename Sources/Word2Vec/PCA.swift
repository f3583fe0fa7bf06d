// A 2-D principal-component projection of word vectors (power iteration on the covariance), for reports.
import Foundation

public enum PCA {
    /// Projects the rows (n × d) onto their top two principal components: covariance C = XᵀX/n of
    /// the centred rows, then power iteration for the first eigenvector, deflation, and again.
    public static func project2D(_ rows: [[Float]], iterations: Int = 200) -> [(Double, Double)] {
        guard let d = rows.first?.count, rows.count > 1 else { return rows.map { _ in (0, 0) } }
        let n = Double(rows.count)
        var mean = [Double](repeating: 0, count: d)
        for r in rows { for k in 0..<d { mean[k] += Double(r[k]) / n } }
        let x = rows.map { r in (0..<d).map { Double(r[$0]) - mean[$0] } }
        var cov = [Double](repeating: 0, count: d * d)
        for r in x {
            for i in 0..<d {
                let ri = r[i]
                for j in 0..<d { cov[i * d + j] += ri * r[j] / n }
            }
        }
        func topEigenvector(_ c: [Double]) -> (vector: [Double], value: Double) {
            var v = (0..<d).map { 1 / Double($0 + 2) }  // deterministic start, not orthogonal to anything in practice
            var lambda = 0.0
            for _ in 0..<iterations {
                var w = [Double](repeating: 0, count: d)
                for i in 0..<d { for j in 0..<d { w[i] += c[i * d + j] * v[j] } }
                let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
                if norm == 0 { break }
                lambda = norm
                v = w.map { $0 / norm }
            }
            return (v, lambda)
        }
        let (pc1, l1) = topEigenvector(cov)
        var deflated = cov
        for i in 0..<d { for j in 0..<d { deflated[i * d + j] -= l1 * pc1[i] * pc1[j] } }
        let (pc2, _) = topEigenvector(deflated)
        return x.map { r in
            (zip(r, pc1).reduce(0) { $0 + $1.0 * $1.1 }, zip(r, pc2).reduce(0) { $0 + $1.0 * $1.1 })
        }
    }
}
