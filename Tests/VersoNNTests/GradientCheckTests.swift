// Finite-difference checks of every parameter gradient of tiny 2-layer LSTM, GRU and RNN networks.
import Testing
@testable import VersoNN
import VersoRandom

@Suite struct GradientCheckTests {
    /// Centred differences (L(θ+ε) − L(θ−ε)) / 2ε against the analytic gradient of the summed
    /// loss, for every parameter. The network computes in float32 (the loss is accumulated in
    /// Double), so with ε = 1e-2 the bound is: relative error |a − n| / max(|a|, |n|) below 1e-2,
    /// or absolute error below 2e-4 for gradients near zero. A sign or index bug gives errors near 1.
    @Test(arguments: CellKind.allCases)
    func everyGradientMatchesFiniteDifferences(cell: CellKind) {
        let net = StackedRNN(NetworkConfig(cell: cell, vocabSize: 5, hidden: 4, layers: 2))
        var rng = SplitMix64(seed: 7)
        net.initialise(rng: &rng)
        // Make the biases non-zero so every path is exercised.
        for s in net.params.slices where s.shape.count == 1 {
            for k in 0..<s.count { net.params.value(s.offset)[k] += rng.nextFloat() * 0.4 - 0.2 }
        }
        let T = 3, B = 2
        net.prepare(steps: T, batch: B)
        let warm: [Int32] = [0, 1, 2, 3, 4, 0]
        let inputs: [Int32] = [1, 4, 2, 0, 3, 3], targets: [Int32] = [2, 0, 3, 3, 1, -1]  // one padded target
        _ = net.forward(inputs: warm, targets: warm, dropoutRNG: nil)
        net.carryState()  // a non-zero initial state for the checked chunk

        net.params.grads.zero()
        _ = net.forward(inputs: inputs, targets: targets, dropoutRNG: nil)
        net.backward(inputs: inputs, targets: targets, scale: 1)
        let analytic = net.params.grads.array

        let eps: Float = 1e-2
        var worst = 0.0, checked = 0
        for k in 0..<net.params.count {
            let p = net.params.values.p + k, saved = p.pointee
            p.pointee = saved + eps
            let plus = net.forward(inputs: inputs, targets: targets, dropoutRNG: nil).loss
            p.pointee = saved - eps
            let minus = net.forward(inputs: inputs, targets: targets, dropoutRNG: nil).loss
            p.pointee = saved
            let numeric = (plus - minus) / (2 * Double(eps)), a = Double(analytic[k])
            let diff = abs(a - numeric)
            if diff > 2e-4 {
                let rel = diff / max(abs(a), abs(numeric), 1e-8)
                worst = max(worst, rel)
                #expect(rel < 1e-2, "\(cell) parameter \(k): analytic \(a), numeric \(numeric)")
            }
            checked += 1
        }
        #expect(checked == net.params.count)
        #expect(analytic.contains { $0 != 0 })
    }

    @Test func meanLossOfUniformPredictionIsLnV() {
        // All-zero weights predict the uniform distribution: loss = ln V per symbol exactly.
        let net = StackedRNN(NetworkConfig(cell: .lstm, vocabSize: 7, hidden: 3, layers: 1))
        net.prepare(steps: 2, batch: 2)
        let ids: [Int32] = [0, 1, 2, 3]
        let (loss, count) = net.forward(inputs: ids, targets: ids, dropoutRNG: nil)
        #expect(count == 4)
        #expect(abs(loss / Double(count) - 1.9459101090932196) < 1e-6)  // ln 7
    }

    @Test func dropoutIsInvertedAndOffAtEvaluation() {
        let net = StackedRNN(NetworkConfig(cell: .rnn, vocabSize: 4, hidden: 64, layers: 2, dropout: 0.5))
        var rng = SplitMix64(seed: 1)
        net.initialise(rng: &rng)
        net.prepare(steps: 1, batch: 1)
        let ids: [Int32] = [2]
        let a = net.forward(inputs: ids, targets: ids, dropoutRNG: nil).loss
        let b = net.forward(inputs: ids, targets: ids, dropoutRNG: nil).loss
        #expect(a == b)  // no dropout without an RNG: deterministic
        var drng = SplitMix64(seed: 3)
        let c = withUnsafeMutablePointer(to: &drng) { net.forward(inputs: ids, targets: ids, dropoutRNG: $0).loss }
        #expect(c != a)
    }
}
