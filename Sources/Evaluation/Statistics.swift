// Rank statistics for evaluations against human judgements (word-similarity sets).

public enum Statistics {
    /// Ranks from 1, ties sharing their mean rank.
    public static func ranks(_ x: [Double]) -> [Double] {
        let order = x.indices.sorted { x[$0] < x[$1] }
        var r = [Double](repeating: 0, count: x.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && x[order[j + 1]] == x[order[i]] { j += 1 }
            for k in i...j { r[order[k]] = Double(i + j) / 2 + 1 }  // ties share their mean rank
            i = j + 1
        }
        return r
    }

    /// Spearman's ρ: Pearson correlation of the ranks (NaN for fewer than two pairs).
    public static func spearman(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count > 1 else { return .nan }
        let ra = ranks(a), rb = ranks(b), n = Double(a.count)
        let ma = ra.reduce(0, +) / n, mb = rb.reduce(0, +) / n
        var cov = 0.0, va = 0.0, vb = 0.0
        for i in 0..<a.count {
            cov += (ra[i] - ma) * (rb[i] - mb)
            va += (ra[i] - ma) * (ra[i] - ma)
            vb += (rb[i] - mb) * (rb[i] - mb)
        }
        return cov / (va * vb).squareRoot()
    }
}
