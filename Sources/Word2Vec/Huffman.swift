// Huffman tree over word counts for hierarchical softmax: each word's inner-node path and code bits.
public struct HuffmanTree: Sendable {
    public let codes: [[UInt8]]  // per word: bits from the root down
    public let points: [[Int32]]  // per word: inner-node indices (0..<V−1) from the root down

    /// Builds the tree as the word2vec C tool does (two queues over counts sorted descending),
    /// so frequent words get short codes.
    public init(counts: [Int]) {
        let n = counts.count
        guard n > 1 else {
            codes = Array(repeating: [0], count: n)
            points = Array(repeating: [0], count: n)
            return
        }
        var count = counts.map { Int64($0) } + Array(repeating: Int64.max / 4, count: n)
        var binary = [UInt8](repeating: 0, count: 2 * n), parent = [Int](repeating: 0, count: 2 * n)
        var pos1 = n - 1, pos2 = n
        for a in 0..<(n - 1) {
            var mins = [0, 0]
            for k in 0..<2 {
                if pos1 >= 0 && count[pos1] < count[pos2] {
                    mins[k] = pos1
                    pos1 -= 1
                } else {
                    mins[k] = pos2
                    pos2 += 1
                }
            }
            count[n + a] = count[mins[0]] + count[mins[1]]
            parent[mins[0]] = n + a
            parent[mins[1]] = n + a
            binary[mins[1]] = 1
        }
        var codes: [[UInt8]] = [], points: [[Int32]] = []
        for w in 0..<n {
            var code: [UInt8] = [], point: [Int32] = []
            var b = w
            while b != 2 * n - 2 {
                code.append(binary[b])
                point.append(Int32(parent[b] - n))
                b = parent[b]
            }
            codes.append(code.reversed())
            points.append(point.reversed())
        }
        self.codes = codes
        self.points = points
    }
}
