// t-SNE: its gradient against finite differences of KL(P ‖ Q), its affinities, and a map that keeps clusters apart.
import Foundation
import Testing
import VersoRandom
@testable import Word2Vec

@Suite struct TSNETests {
    static func clusters(_ perCluster: Int, dim: Int = 8, seed: UInt64 = 5) -> [[Float]] {
        var rng = SplitMix64(seed: seed)
        let centres = (0..<2).map { _ in (0..<dim).map { _ in rng.nextFloat() * 2 - 1 } }
        return (0..<(2 * perCluster)).map { i in centres[i / perCluster].map { $0 + 0.05 * (rng.nextFloat() - 0.5) } }
    }

    @Test func gradientMatchesFiniteDifferences() {
        let rows = Self.clusters(6)
        let p = TSNE.affinities(rows, perplexity: 3)
        var rng = SplitMix64(seed: 9)
        var y = (0..<(2 * rows.count)).map { _ in Double(rng.nextFloat() * 2 - 1) }
        var gradient = [Double](repeating: 0, count: y.count), scratch = gradient
        _ = TSNE.cost(p, y, gradient: &gradient)
        let h = 1e-6
        for k in y.indices {
            let keep = y[k]
            y[k] = keep + h
            let up = TSNE.cost(p, y, gradient: &scratch)
            y[k] = keep - h
            let down = TSNE.cost(p, y, gradient: &scratch)
            y[k] = keep
            let numeric = (up - down) / (2 * h)
            #expect(abs(numeric - gradient[k]) < 1e-6 * max(1, abs(numeric)), "coordinate \(k)")
        }
    }

    @Test func affinitiesAreSymmetricAndSumToOneAtThePerplexityAsked() {
        let rows = Self.clusters(10)
        let n = rows.count
        let p = TSNE.affinities(rows, perplexity: 5)
        #expect(abs(p.reduce(0, +) - 1) < 1e-6)
        for i in 0..<n { for j in 0..<n { #expect(abs(p[i * n + j] - p[j * n + i]) < 1e-15) } }
        // A point's affinities lie mostly within its own cluster.
        let own = (0..<10).reduce(0.0) { $0 + p[0 * n + $1] }
        #expect(own > 0.9 * (0..<n).reduce(0.0) { $0 + p[0 * n + $1] })
    }

    @Test func theMapKeepsTwoClustersApartAndIsTheSameEachTime() {
        let rows = Self.clusters(15)
        var config = TSNEConfig()
        config.perplexity = 5
        config.iterations = 300
        let map = TSNE.layout(rows, config: config)
        #expect(map.count == 30 && map.allSatisfy { $0.0.isFinite && $0.1.isFinite })
        func distance(_ a: Int, _ b: Int) -> Double { hypot(map[a].0 - map[b].0, map[a].1 - map[b].1) }
        let within = (1..<15).map { distance(0, $0) }.max()!, across = (15..<30).map { distance(0, $0) }.min()!
        #expect(within < across)
        let again = TSNE.layout(rows, config: config)
        #expect(zip(map, again).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 })
    }
}
