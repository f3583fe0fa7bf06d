// Interpolated modified Kneser-Ney and Witten-Bell probabilities over NGramCounts (Chen & Goodman 1998).
public enum SmoothingKind: String, Codable, Sendable, CaseIterable { case kneserNey = "kn", wittenBell = "wb" }

/// Per-node totals and counts-of-counts, and per-order discounts, precomputed once.
public struct Smoother: Sendable {
    public let kind: SmoothingKind
    let counts: NGramCounts
    struct NodeStats: Sendable {
        var total: Int32 = 0, n1: Int32 = 0, n2: Int32 = 0, n3: Int32 = 0, distinct: Int32 = 0
    }
    var raw: [NodeStats], cont: [NodeStats]
    // Per depth: [D1, D2, D3+] (raw counts at the top order, continuation counts below).
    public private(set) var discounts: [[Double]]

    public init(_ counts: NGramCounts, kind: SmoothingKind) {
        self.kind = kind
        self.counts = counts
        func stats(_ start: [Int32], _ values: [Int32]) -> [NodeStats] {
            (0..<counts.nodeCount).map { n in
                var s = NodeStats()
                for k in Int(start[n])..<Int(start[n + 1]) {
                    let c = values[k]
                    s.total += c
                    s.distinct += 1
                    if c == 1 { s.n1 += 1 } else if c == 2 { s.n2 += 1 } else { s.n3 += 1 }
                }
                return s
            }
        }
        raw = stats(counts.rawStart, counts.rawCount)
        cont = stats(counts.contStart, counts.contCount)
        // Discounts from the counts-of-counts n1…n4 of each order (Chen & Goodman's estimates).
        var coc = [[Double]](repeating: [0, 0, 0, 0], count: counts.order + 1)
        for n in 0..<counts.nodeCount {
            let d = Int(counts.depth[n]), top = d == counts.order
            let (start, values) = top ? (counts.rawStart, counts.rawCount) : (counts.contStart, counts.contCount)
            for k in Int(start[n])..<Int(start[n + 1]) where values[k] <= 4 { coc[d][Int(values[k]) - 1] += 1 }
        }
        discounts = coc.map { c in
            let (n1, n2, n3, n4) = (c[0], c[1], c[2], c[3])
            guard n1 > 0, n2 > 0 else { return [0.5, 1, 1.5] }  // too little data: fixed, reasonable discounts
            let y = n1 / (n1 + 2 * n2)
            let d1 = 1 - 2 * y * n2 / n1
            let d2 = n3 > 0 ? 2 - 3 * y * n3 / n2 : 1
            let d3 = n4 > 0 && n3 > 0 ? 3 - 4 * y * n4 / n3 : 1.5
            return [max(0, d1), max(0, d2), max(0, d3)]
        }
    }

    /// P(w | context) given the context's nodes (depth 0, 1, …), interpolating from the uniform
    /// distribution upward: p_k = (max(c − D(c), 0) + γ_num·p_{k−1}) / C(h)   (Kneser-Ney),
    /// or (c + T(h)·p_{k−1}) / (C(h) + T(h))   (Witten-Bell). Unseen contexts pass p through.
    @inline(__always)
    public func probability(_ w: Int32, nodes: [Int32]) -> Double {
        var p = 1 / Double(counts.vocabSize)
        for node in nodes {
            let depth = Int(counts.depth[Int(node)])
            switch kind {
            case .wittenBell:
                let s = raw[Int(node)]
                guard s.total > 0 else { continue }
                let c = Double(counts.count(node, w, continuation: false))
                p = (c + Double(s.distinct) * p) / (Double(s.total) + Double(s.distinct))
            case .kneserNey:
                let top = depth == counts.order
                let s = top ? raw[Int(node)] : cont[Int(node)]
                guard s.total > 0 else { continue }
                let c = Int(counts.count(node, w, continuation: !top))
                let d = discounts[depth]
                let discount = c == 0 ? 0 : d[min(c, 3) - 1]
                let gamma = d[0] * Double(s.n1) + d[1] * Double(s.n2) + d[2] * Double(s.n3)
                p = (max(Double(c) - discount, 0) + gamma * p) / Double(s.total)
            }
        }
        return p
    }

    /// The whole next-symbol distribution (for the sums-to-one test).
    public func distribution(nodes: [Int32]) -> [Double] {
        var p = [Double](repeating: 0, count: counts.vocabSize)
        p.withUnsafeMutableBufferPointer { distribution(nodes: nodes, into: $0) }
        return p
    }

    /// The same into `p` (vocabSize entries), one pass over each node's successors instead of a
    /// search per symbol, in the same floating-point operations as `probability` (symbols a node
    /// never saw get (0 + γ·p) / C, bit for bit what `probability` computes).
    public func distribution(nodes: [Int32], into p: UnsafeMutableBufferPointer<Double>) {
        p.update(repeating: 1 / Double(counts.vocabSize))
        for node in nodes {
            let n = Int(node), depth = Int(counts.depth[n])
            let continuation = kind == .kneserNey && depth != counts.order
            let s = continuation ? cont[n] : raw[n]
            guard s.total > 0 else { continue }
            let start = continuation ? counts.contStart : counts.rawStart
            let syms = continuation ? counts.contSymbol : counts.rawSymbol
            let values = continuation ? counts.contCount : counts.rawCount
            let total = Double(s.total)
            switch kind {
            case .wittenBell:
                let t = Double(s.distinct)
                for j in p.indices { p[j] = t * p[j] }
                for k in Int(start[n])..<Int(start[n + 1]) { p[Int(syms[k])] = Double(values[k]) + p[Int(syms[k])] }
                let denominator = total + t
                for j in p.indices { p[j] = p[j] / denominator }
            case .kneserNey:
                let d = discounts[depth]
                let gamma = d[0] * Double(s.n1) + d[1] * Double(s.n2) + d[2] * Double(s.n3)
                for j in p.indices { p[j] = gamma * p[j] }
                for k in Int(start[n])..<Int(start[n + 1]) {
                    let c = Int(values[k])
                    p[Int(syms[k])] = max(Double(c) - (c == 0 ? 0 : d[min(c, 3) - 1]), 0) + p[Int(syms[k])]
                }
                for j in p.indices { p[j] = p[j] / total }
            }
        }
    }

    /// The deepest of `nodes` with successors, and how many times that context was seen: how
    /// much the chain knows here (a mixture chooses its weights by it).
    public func confidence(nodes: [Int32]) -> (depth: Int, count: Int) {
        for node in nodes.reversed() where raw[Int(node)].total > 0 {
            return (Int(counts.depth[Int(node)]), Int(raw[Int(node)].total))
        }
        return (0, 0)
    }
}
