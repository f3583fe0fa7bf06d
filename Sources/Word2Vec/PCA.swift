// A 2-D principal-component projection of word vectors (power iteration on the covariance, in VersoNN), for reports.
import Foundation
import VersoNN

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
        let topEigenvector = { LinearAlgebra.topEigenvector($0, n: d, iterations: iterations) }
        let (pc1, l1) = topEigenvector(cov)
        var deflated = cov
        for i in 0..<d { for j in 0..<d { deflated[i * d + j] -= l1 * pc1[i] * pc1[j] } }
        let (pc2, _) = topEigenvector(deflated)
        return x.map { r in
            (zip(r, pc1).reduce(0) { $0 + $1.0 * $1.1 }, zip(r, pc2).reduce(0) { $0 + $1.0 * $1.1 })
        }
    }
}
