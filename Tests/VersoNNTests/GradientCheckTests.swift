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

    /// The same check with every small-text regulariser on, each chunk's masks fixed by the same
    /// dropout seed for the analytic and the numeric passes: locked dropout between layers and on
    /// the output, input-symbol dropout and DropConnect on every Wh.
    @Test(arguments: CellKind.allCases)
    func gradientsUnderLockedDropoutInputDropoutAndDropConnect(cell: CellKind) {
        var config = NetworkConfig(cell: cell, vocabSize: 5, hidden: 4, layers: 2, dropout: 0.3)
        config.lockedDropout = true
        config.inputDropout = 0.3
        config.dropConnect = 0.4
        let net = StackedRNN(config)
        var rng = SplitMix64(seed: 9)
        net.initialise(rng: &rng)
        for s in net.params.slices where s.shape.count == 1 {
            for k in 0..<s.count { net.params.value(s.offset)[k] += rng.nextFloat() * 0.4 - 0.2 }
        }
        let T = 3, B = 2
        net.prepare(steps: T, batch: B)
        let inputs: [Int32] = [1, 4, 2, 0, 3, 3], targets: [Int32] = [2, 0, 3, 3, 1, 4]
        func loss() -> Double {
            var drng = SplitMix64(seed: 77)  // the same masks every pass
            return withUnsafeMutablePointer(to: &drng) {
                net.forward(inputs: inputs, targets: targets, dropoutRNG: $0).loss
            }
        }
        net.params.grads.zero()
        _ = loss()
        net.backward(inputs: inputs, targets: targets, scale: 1)
        let analytic = net.params.grads.array
        let eps: Float = 1e-2
        for k in 0..<net.params.count {
            let p = net.params.values.p + k, saved = p.pointee
            p.pointee = saved + eps
            let plus = loss()
            p.pointee = saved - eps
            let minus = loss()
            p.pointee = saved
            let numeric = (plus - minus) / (2 * Double(eps)), a = Double(analytic[k])
            let diff = abs(a - numeric)
            if diff > 2e-4 {
                #expect(diff / max(abs(a), abs(numeric), 1e-8) < 1e-2, "\(cell) parameter \(k): \(a) vs \(numeric)")
            }
        }
        // Some recurrent weights were dropped (their gradient is exactly zero), others were not.
        let wh = net.params.slices.first { $0.name == "layer1.Wh" }!
        let whGrads = analytic[wh.offset..<(wh.offset + wh.count)]
        #expect(whGrads.contains(0) && whGrads.contains { $0 != 0 })
    }

    /// Locked dropout draws one mask per stream and unit and reuses it at every step of the chunk.
    @Test func lockedDropoutReusesOneMaskAcrossTimeSteps() {
        var config = NetworkConfig(cell: .lstm, vocabSize: 4, hidden: 16, layers: 2, dropout: 0.5)
        config.lockedDropout = true
        let net = StackedRNN(config)
        var rng = SplitMix64(seed: 2)
        net.initialise(rng: &rng)
        let T = 5, B = 3, H = 16
        net.prepare(steps: T, batch: B)
        let ids = (0..<(T * B)).map { Int32($0 % 4) }
        var drng = SplitMix64(seed: 4)
        _ = withUnsafeMutablePointer(to: &drng) { net.forward(inputs: ids, targets: ids, dropoutRNG: $0) }
        for mask in net.masks {
            let first = Array(UnsafeBufferPointer(start: mask.p, count: B * H))
            #expect(first.contains(0) && first.contains(2))  // kept units scaled by 1/(1 − 0.5)
            for t in 1..<T { #expect(Array(UnsafeBufferPointer(start: mask.p + t * B * H, count: B * H)) == first) }
            #expect(first[0..<H] != first[H..<(2 * H)])  // streams differ
        }
        // Without locking, masks change from step to step.
        config.lockedDropout = nil
        let plain = StackedRNN(config)
        plain.prepare(steps: T, batch: B)
        var prng = SplitMix64(seed: 4)
        _ = withUnsafeMutablePointer(to: &prng) { plain.forward(inputs: ids, targets: ids, dropoutRNG: $0) }
        let m = plain.masks[0].p
        #expect(Array(UnsafeBufferPointer(start: m, count: B * H)) != Array(UnsafeBufferPointer(start: m + B * H, count: B * H)))
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
