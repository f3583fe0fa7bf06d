// The char-RNN training loop: batches, BPTT, clipping, optimiser, evaluation, checkpoints, metrics.
import Foundation
import VersoNN
import VersoStore

public struct TrainingError: Error, CustomStringConvertible {
    public let description: String
}

/// One training run. `run` stops at the step/epoch/time limit, or on a diverging loss (throwing
/// after the last good checkpoint is already in the store).
public final class Trainer {
    public let config: TrainConfig
    public let vocabulary: CharVocabulary
    public let network: StackedRNN
    public let optimizer: Optimizer
    public var state: TrainingState
    public private(set) var charsPerSecond = 0.0   // training throughput, evaluation time excluded
    let train: StreamBatches
    let validation: [Int32]
    let store: Store, corpus: CorpusInfo
    public let name: String

    /// Called after every step and evaluation (for progress lines).
    public var onProgress: ((Progress) -> Void)?
    public struct Progress {
        public var step: Int, totalSteps: Int, epoch: Double, trainLoss: Double, valLoss: Double?
        public var charsPerSecond: Double, secondsLeft: Double
    }

    public init(config: TrainConfig, vocabulary: CharVocabulary, network: StackedRNN, trainIDs: [Int32],
                validationIDs: [Int32], store: Store, name: String, corpus: CorpusInfo, resumeFrom: TrainingState?) throws {
        self.config = config; self.vocabulary = vocabulary; self.network = network
        self.validation = validationIDs; self.store = store; self.name = name; self.corpus = corpus
        train = StreamBatches(ids: trainIDs, steps: config.seqLength, batch: config.batchSize, pad: false)
        guard train.count > 0 else {
            throw TrainingError(description: "the training text (\(trainIDs.count) symbols) is shorter than one batch of \(config.batchSize) streams × \(config.seqLength + 1) symbols; use a smaller --batch-size or --seq-length")
        }
        optimizer = Optimizer(config.optimizer, parameterCount: network.params.count, alpha: config.rmspropAlpha)
        network.prepare(steps: config.seqLength, batch: config.batchSize)
        state = resumeFrom ?? TrainingState(step: 0, epoch: 0, lr: config.learningRate,
                                            dropoutRNG: SplitMix64(seed: config.rngSeed ^ 0xD0D0))
    }

    public var batchesPerEpoch: Int { train.count }

    public var totalSteps: Int {
        let byEpochs = Int((config.epochs * Double(train.count)).rounded(.up))
        return min(config.maxSteps ?? byEpochs, byEpochs)
    }

    // MARK: The loop

    public func run(timeLimit: Double?) throws {
        let T = config.seqLength, B = config.batchSize
        var inputs = [Int32](repeating: 0, count: T * B), targets = inputs
        let start = Date(), startStep = state.step
        var evalSeconds = 0.0
        var lastLoss = Double.nan, firstLoss: Double? = nil
        var stepsSinceEval = 0
        while state.step < totalSteps {
            let k = state.step % train.count
            let epoch = state.step / train.count
            if k == 0 { network.resetState() }
            state.lr = config.learningRate(epoch: epoch)
            train.fill(k, inputs: &inputs, targets: &targets)

            network.params.grads.zero()
            let (loss, count) = withUnsafeMutablePointer(to: &state.dropoutRNG) { rng in
                network.forward(inputs: inputs, targets: targets, dropoutRNG: rng)
            }
            let mean = loss / Double(count)
            guard mean.isFinite, mean < 3 * (firstLoss ?? .infinity) else {
                throw TrainingError(description: "training stopped at step \(state.step + 1): the loss \(mean.isFinite ? "exploded to \(String(format: "%.3f", mean))" : "is NaN") (try a lower --lr); the last good checkpoint is kept")
            }
            firstLoss = firstLoss ?? mean
            network.backward(inputs: inputs, targets: targets, scale: 1 / Float(count))
            guard GradientTools.allFinite(network.params.grads) else {
                throw TrainingError(description: "training stopped at step \(state.step + 1): a gradient is NaN or infinite (try a lower --lr); the last good checkpoint is kept")
            }
            let gradStats = stepsSinceEval + 1 == config.evalEvery || state.step + 1 == totalSteps ? layerStats(grads: true) : []
            GradientTools.clip(network.params, mode: config.clipMode, threshold: config.gradClip)
            optimizer.step(network.params, lr: state.lr)
            if let c = config.maxNorm { GradientTools.applyMaxNorm(network.params, c) }
            network.carryState()
            state.step += 1; stepsSinceEval += 1
            state.epoch = Double(state.step) / Double(train.count)
            lastLoss = mean

            let elapsed = Date().timeIntervalSince(start)
            let rate = Double((state.step - startStep) * T * B) / max(elapsed - evalSeconds, 1e-9)   // training only
            let outOfTime = timeLimit.map { elapsed >= $0 } ?? false
            let last = state.step == totalSteps || outOfTime
            if stepsSinceEval >= config.evalEvery || last {
                let evalStart = Date()
                try evaluateAndCheckpoint(trainLoss: mean, charsPerSecond: rate, gradStats: gradStats)
                evalSeconds += Date().timeIntervalSince(evalStart)
                stepsSinceEval = 0
            }
            charsPerSecond = rate
            onProgress?(Progress(step: state.step, totalSteps: totalSteps, epoch: state.epoch, trainLoss: lastLoss,
                                 valLoss: state.valLoss, charsPerSecond: rate,
                                 secondsLeft: Double(totalSteps - state.step) * T.double * B.double / max(rate, 1e-9)))
            if outOfTime { break }
        }
    }

    // MARK: Evaluation and checkpoints

    func evaluateAndCheckpoint(trainLoss: Double, charsPerSecond: Double, gradStats: [(String, Double)]) throws {
        let saved = network.layers.map { ($0.h0.array, $0.c0.array) }
        let val = validation.count > 1
            ? Evaluator.crossEntropy(network: network, ids: validation, steps: config.seqLength, batch: config.batchSize)
            : nil
        network.prepare(steps: config.seqLength, batch: config.batchSize)
        for (layer, s) in zip(network.layers, saved) { layer.h0.load(s.0); layer.c0.load(s.1) }

        state.trainLoss = trainLoss
        state.valLoss = val?.natsPerChar
        let score = val?.natsPerChar ?? trainLoss
        let isBest = state.bestValLoss.map { score < $0 } ?? true
        if isBest { state.bestValLoss = score }
        var metrics: [(String, Double)] = [("train_loss", trainLoss), ("lr", Double(state.lr)),
                                           ("chars_per_s", charsPerSecond), ("epoch", state.epoch)]
        if let v = val { metrics += [("val_loss", v.natsPerChar), ("val_bits_per_char", v.bitsPerChar)] }
        metrics += layerStats(grads: false) + gradStats
        try CharModelStore.writeCheckpoint(store: store, name: name, corpus: corpus, config: config,
                                           vocabulary: vocabulary, network: network, optimizer: optimizer,
                                           state: state, isBest: isBest, metrics: metrics)
    }

    /// Mean and standard deviation of each layer's weights (or gradients), as the
    /// vanishing-gradient tutorial plots them: keys like `layer0.weight_mean`, `decoder.grad_std`.
    func layerStats(grads: Bool) -> [(String, Double)] {
        var groups: [String: (sum: Double, sq: Double, n: Int)] = [:]
        var order: [String] = []
        for s in network.params.slices where s.shape.count == 2 {
            let group = String(s.name.split(separator: ".").first!)
            if groups[group] == nil { order.append(group); groups[group] = (0, 0, 0) }
            let p = grads ? network.params.grad(s.offset) : network.params.value(s.offset)
            for k in 0..<s.count { let v = Double(p[k]); groups[group]!.sum += v; groups[group]!.sq += v * v }
            groups[group]!.n += s.count
        }
        let kind = grads ? "grad" : "weight"
        return order.flatMap { g -> [(String, Double)] in
            let s = groups[g]!, mean = s.sum / Double(s.n)
            return [("\(g).\(kind)_mean", mean), ("\(g).\(kind)_std", max(0, s.sq / Double(s.n) - mean * mean).squareRoot())]
        }
    }
}

extension Int { var double: Double { Double(self) } }
