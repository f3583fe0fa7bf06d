// A text's next-symbol rows, layers pipelined over two threads, against the sampler's one step at a time.
import Foundation
import Testing
import VersoRandom

@testable import VersoNN

@Suite struct StreamScoringTests {
    static func network(layers: Int, cell: CellKind) -> StackedRNN {
        let net = StackedRNN(NetworkConfig(cell: cell, vocabSize: 11, hidden: 24, layers: layers))
        var rng = SplitMix64(seed: UInt64(40 + layers))
        net.initialise(rng: &rng)
        // Larger weights than Glorot's, so that the state carries far and a wrong carry shows.
        for s in net.params.slices { for k in 0..<s.count { net.params.value(s.offset)[k] *= 2.5 } }
        return net
    }

    /// ln softmax of the sampler's logits after each symbol, fed one at a time.
    static func stepped(_ net: StackedRNN, _ ids: [Int32]) -> [Float] {
        let state = StreamState(net), V = net.config.vocabSize
        var rows: [Float] = []
        for id in ids {
            state.feed(id)
            let z = Array(UnsafeBufferPointer(start: state.logits.p, count: V))
            let high = z.max()!
            let logSum = log(z.reduce(Float(0)) { $0 + exp($1 - high) })
            rows += z.map { $0 - high - logSum }
        }
        return rows
    }

    /// One, two (one layer a side) and three layers (two below, one above), the last chunk
    /// padded, across chunk boundaries: the pipelined rows are the stepped ones.
    @Test(arguments: [(1, CellKind.lstm), (2, .lstm), (3, .lstm), (2, .gru), (3, .rnn)])
    func pipelinedRowsMatchTheSamplerStepByStep(layers: Int, cell: CellKind) {
        let net = Self.network(layers: layers, cell: cell)
        var rng = SplitMix64(seed: 9)
        let ids = (0..<100).map { _ in Int32(rng.next() % 11) }
        let expected = Self.stepped(net, ids)
        for chunk in [7, 32, 256] {
            let rows = StackedRNN(net.config, sharingWeightsWith: net).logProbabilitiesAfterEach(ids, chunk: chunk)
            #expect(rows.count == ids.count * 11)
            let worst = zip(rows, expected).map { abs($0 - $1) }.max()!
            #expect(worst < 1e-4, "chunk \(chunk): off by \(worst)")
        }
    }

    /// The same replica twice, and another replica, give the same bits (the threads only overlap
    /// the layers' work, they never change its order).
    @Test func sameBitsEveryTime() {
        let net = Self.network(layers: 2, cell: .lstm)
        let ids = (0..<300).map { Int32($0 * 7 % 11) }
        let replica = StackedRNN(net.config, sharingWeightsWith: net)
        let first = replica.logProbabilitiesAfterEach(ids, chunk: 64)
        #expect(replica.logProbabilitiesAfterEach(ids, chunk: 64) == first)
        #expect(StackedRNN(net.config, sharingWeightsWith: net).logProbabilitiesAfterEach(ids, chunk: 64) == first)
        #expect(replica.logProbabilitiesAfterEach([]) == [])
    }
}
