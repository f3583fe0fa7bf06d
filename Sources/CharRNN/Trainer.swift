// The char-RNN training loop: batches, BPTT, clipping, optimiser, evaluation, checkpoints, metrics.
import Evaluation
import Foundation
import VersoNN
import VersoRandom
import VersoStore
import VersoText

public struct TrainingError: AdvisingError {
    public let message: String
    public var advice: SettingAdvice? = nil

    public init(description: String, advice: SettingAdvice? = nil) {
        message = description
        self.advice = advice
    }
}

/// One training run. `run` stops at the step/epoch/time limit, or on a diverging loss (throwing
/// after the last good checkpoint is already in the store).
public final class Trainer {
    public let config: TrainConfig
    public let vocabulary: CharVocabulary
    public let network: StackedRNN  // the master: owns the weights, evaluates, checkpoints
    let replicas: [Replica]  // one per thread, each a contiguous share of the streams
    public let optimizer: Optimizer
    public var state: TrainingState
    public private(set) var charsPerSecond = 0.0  // training throughput, evaluation time excluded
    public private(set) var lastCheckpointStep: Int?  // the step of the newest checkpoint in the store
    /// Set for `--force`: the first checkpoint replaces the model of the same name, in its transaction.
    public var replacesExisting = false
    /// What `--auto` chose, and why (nil without it).
    public internal(set) var autoChoice: AutoSizing.Choice?
    /// Fine-tuning: the symbols the new text added to the base model's vocabulary.
    public internal(set) var addedSymbols: [String] = []
    /// `--ema`: the running average of the weights (nil: off).
    public internal(set) var averagedWeights: FloatBuffer?
    public private(set) var averagedValLoss: Double?
    /// The training loss, averaged over every `lossEvery` steps, waiting for the next checkpoint to
    /// be written with it: a curve of a short run has points between its few evaluations.
    var lossWindow = (sum: 0.0, steps: 0)
    var lossPoints: [Metric] = []
    var lossEvery: Int { max(1, config.evalEvery / 20) }
    let trainingText: TrainingText.Compressed?  // compressed; kept with the model when the first checkpoint creates it
    let train: StreamBatches
    let validation: [Int32]
    let store: Store, corpus: CorpusInfo
    public let name: String

    /// Polled before every step: when raised, the run writes a checkpoint at the current step and
    /// throws `Interrupted`, so that a resumed run goes on with the same bits.
    public var stopRequest = StopRequest.never
    /// Called after every step and evaluation (for progress lines).
    public var onProgress: ((Progress) -> Void)?
    public struct Progress {
        public var step: Int, totalSteps: Int, epoch: Double, trainLoss: Double, valLoss: Double?
        public var charsPerSecond: Double, secondsLeft: Double
    }

    public init(
        config: TrainConfig, vocabulary: CharVocabulary, network: StackedRNN, trainIDs: [Int32],
        validationIDs: [Int32], store: Store, name: String, corpus: CorpusInfo, resumeFrom: TrainingState?
    ) throws {
        self.config = config
        self.vocabulary = vocabulary
        self.network = network
        self.validation = validationIDs
        self.store = store
        self.name = name
        self.corpus = corpus
        // Kept with the model when its first checkpoint creates it: what copy checks compare with
        // (a resumed run's model has it already).
        trainingText =
            resumeFrom == nil ? try TrainingText.compress(trainIDs.map { vocabulary.symbols[Int($0)] }.joined()) : nil
        train = StreamBatches(ids: trainIDs, steps: config.seqLength, batch: config.batchSize, pad: false)
        guard train.count > 0 else {
            throw TrainingError(
                description:
                    "the training text (\(trainIDs.count) symbols) is shorter than one batch of \(config.batchSize) "
                    + "streams × \(config.seqLength + 1) symbols", advice: .smallerBatches)
        }
        optimizer = Optimizer(config.optimizer, parameterCount: network.params.count, alpha: config.rmspropAlpha)
        replicas = Replica.shares(
            of: network, threads: config.threads, batch: config.batchSize, steps: config.seqLength)
        state =
            resumeFrom
            ?? TrainingState(
                step: 0, epoch: 0, lr: config.learningRate,
                dropoutRNG: SplitMix64(seed: config.rngSeed ^ 0xD0D0))
        if let carried = resumeFrom?.carried { scatterState(carried) }
        lastCheckpointStep = resumeFrom?.step
        if (config.weightAverage ?? 0) > 0 {
            let average = FloatBuffer(network.params.count)
            average.p.update(from: network.params.values.p, count: network.params.count)
            averagedWeights = average
        }
    }

    /// A resumed run's average goes on from the averaged checkpoint's weights.
    public func resumeAverage(from values: [Float]) {
        guard let averagedWeights, values.count == averagedWeights.count else { return }
        averagedWeights.load(values)
    }

    /// avg ← β·avg + (1 − β)·θ after a step.
    func updateAverage() {
        guard let average = averagedWeights, let beta = config.weightAverage.map(Float.init) else { return }
        let theta = network.params.values.p, a = average.p
        for k in 0..<network.params.count { a[k] = beta * a[k] + (1 - beta) * theta[k] }
    }

    public var batchesPerEpoch: Int { train.count }

    public var totalSteps: Int {
        let byEpochs = Int((config.epochs * Double(train.count)).rounded(.up))
        return min(config.maxSteps ?? byEpochs, byEpochs)
    }

    // MARK: The loop

    public func run(timeLimit: Double?) throws {
        let T = config.seqLength, B = config.batchSize
        let start = Date(), startStep = state.step
        var evalSeconds = 0.0
        var lastLoss = Double.nan, firstLoss: Double? = nil
        while state.step < totalSteps {
            if let signal = stopRequest.signal { try stop(signal: signal, trainLoss: lastLoss) }
            let k = state.step % train.count
            let epoch = state.step / train.count
            if k == 0 { for r in replicas { r.network.resetState() } }
            state.lr = config.learningRate(step: state.step, epoch: epoch)

            let (loss, count) = trainStep(chunk: k)
            let mean = loss / Double(count)
            guard mean.isFinite, mean < 3 * (firstLoss ?? .infinity) else {
                throw divergence("the loss \(mean.isFinite ? "exploded to \(String(format: "%.3f", mean))" : "is NaN")")
            }
            firstLoss = firstLoss ?? mean
            guard GradientTools.allFinite(network.params.grads) else {
                throw divergence("a gradient is NaN or infinite")
            }
            // Evaluations fall on multiples of evalEvery, counted from step 0, so that a run resumed
            // from any step checkpoints where an uninterrupted one does.
            let gradStats =
                (state.step + 1) % config.evalEvery == 0 || state.step + 1 == totalSteps ? layerStats(grads: true) : []
            GradientTools.clip(network.params, mode: config.clipMode, threshold: config.gradClip)
            optimizer.step(network.params, lr: state.lr)
            if let c = config.maxNorm { GradientTools.applyMaxNorm(network.params, c) }
            updateAverage()
            state.step += 1
            state.epoch = Double(state.step) / Double(train.count)
            lastLoss = mean
            lossWindow = (lossWindow.sum + mean, lossWindow.steps + 1)
            if state.step % lossEvery == 0 { closeLossWindow() }

            let elapsed = Date().timeIntervalSince(start)
            let rate = Double((state.step - startStep) * T * B) / max(elapsed - evalSeconds, 1e-9)  // training only
            let outOfTime = timeLimit.map { elapsed >= $0 } ?? false
            let last = state.step == totalSteps || outOfTime
            if state.step % config.evalEvery == 0 || last {
                let evalStart = Date()
                try evaluateAndCheckpoint(trainLoss: mean, charsPerSecond: rate, gradStats: gradStats)
                evalSeconds += Date().timeIntervalSince(evalStart)
            }
            charsPerSecond = rate
            // The time to the last step, or to the time limit when that comes first.
            var secondsLeft = Double(totalSteps - state.step) * T.double * B.double / max(rate, 1e-9)
            if let timeLimit { secondsLeft = min(secondsLeft, max(timeLimit - elapsed, 0)) }
            onProgress?(
                Progress(
                    step: state.step, totalSteps: totalSteps, epoch: state.epoch, trainLoss: lastLoss,
                    valLoss: state.valLoss, charsPerSecond: rate,
                    secondsLeft: secondsLeft))
            if outOfTime { break }
        }
    }

    /// A stop request: the steps since the last checkpoint are kept in one at this step, without
    /// an evaluation (which could take longer than a person waits), then `Interrupted` is thrown.
    func stop(signal: Int32, trainLoss: Double) throws -> Never {
        if lastCheckpointStep != state.step && state.step > 0 {
            try evaluateAndCheckpoint(
                trainLoss: trainLoss, charsPerSecond: charsPerSecond, gradStats: [], evaluate: false)
        }
        let kept =
            lastCheckpointStep.map { "model '\(name)' is kept at step \($0) of \(totalSteps)" }
            ?? "no step had been trained, so the store is unchanged"
        throw Interrupted(signal: signal, kept: kept, step: lastCheckpointStep)
    }

    /// Divergence stops training before anything of the diverged step is written.
    func divergence(_ what: String) -> TrainingError {
        let kept =
            lastCheckpointStep.map { "the last good checkpoint (step \($0)) is kept" }
            ?? "no checkpoint had been saved, so the store is unchanged"
        return TrainingError(
            description: "training stopped at step \(state.step + 1): \(what); \(kept)", advice: .lowerLearningRate)
    }

    // MARK: Evaluation and checkpoints

    /// Evaluates (unless `evaluate` is false: a stop's checkpoint) and writes the checkpoint of
    /// this step: weights, optimizer moments, RNG and carried state, and the metrics since the last.
    func evaluateAndCheckpoint(
        trainLoss: Double, charsPerSecond: Double, gradStats: [(String, Double)], evaluate: Bool = true
    ) throws {
        let carried = gatherState()
        func validate() -> CrossEntropy? {
            evaluate && validation.count > 1
                ? Evaluator.crossEntropy(
                    networks: replicas.map(\.network), ids: validation, steps: config.seqLength,
                    batch: config.batchSize)
                : nil
        }
        let val = validate()
        // The averaged weights, evaluated in the trained weights' place (the replicas share them).
        var averaged: (valLoss: Double?, tensors: [Tensor])?
        if let average = averagedWeights, !evaluate {
            averaged = (nil, CharModelStore.weightTensors(network, values: average.p))
        } else if let average = averagedWeights {
            let trained = network.params.values.array
            network.params.values.p.update(from: average.p, count: average.count)
            averaged = (validate()?.natsPerChar, CharModelStore.weightTensors(network, values: average.p))
            network.params.values.load(trained)
            averagedValLoss = averaged?.valLoss
        }
        for replica in replicas { replica.prepare() }
        scatterState(carried)
        state.carried = carried

        state.trainLoss = trainLoss
        state.valLoss = val?.natsPerChar
        // The best checkpoint takes the averaged weights when they score lower.
        let averageWins = averaged?.valLoss.map { a in val.map { a < $0.natsPerChar } ?? false } ?? false
        let score = averageWins ? averaged!.valLoss! : val?.natsPerChar ?? trainLoss
        // Unevaluated, a checkpoint is the best only when it is the model's first.
        let isBest = evaluate ? state.bestValLoss.map { score < $0 } ?? true : lastCheckpointStep == nil
        if isBest && evaluate { state.bestValLoss = score }
        var values: [(String, Double)] = [
            ("lr", Double(state.lr)), ("chars_per_s", charsPerSecond), ("epoch", state.epoch),
        ]
        if let v = val { values += [("val_loss", v.natsPerChar), ("val_bits_per_char", v.bitsPerChar)] }
        if let a = averaged?.valLoss { values.append(("val_loss_averaged", a)) }
        values += layerStats(grads: false) + gradStats
        closeLossWindow()
        let metrics = lossPoints + values.map { Metric(step: state.step, key: $0.0, value: $0.1) }
        try CharModelStore.writeCheckpoint(
            store: store, name: name, corpus: corpus, config: config,
            vocabulary: vocabulary, network: network, optimizer: optimizer,
            state: state, isBest: isBest, metrics: metrics, trainingText: trainingText,
            replacing: replacesExisting, best: averageWins ? averaged?.tensors : nil, averaged: averaged)
        lastCheckpointStep = state.step
        replacesExisting = false
        lossPoints = []
    }

    /// Ends the current window of training losses with a point at this step (none when empty).
    func closeLossWindow() {
        guard lossWindow.steps > 0 else { return }
        lossPoints.append(Metric(step: state.step, key: "train_loss", value: lossWindow.sum / Double(lossWindow.steps)))
        lossWindow = (0, 0)
    }

    /// Mean and standard deviation of each layer's weights (or gradients), as the
    /// vanishing-gradient tutorial plots them: keys like `layer0.weight_mean`, `decoder.grad_std`.
    func layerStats(grads: Bool) -> [(String, Double)] {
        var groups: [String: (sum: Double, sq: Double, n: Int)] = [:]
        var order: [String] = []
        for s in network.params.slices where s.shape.count == 2 {
            let group = String(s.name.split(separator: ".").first!)
            if groups[group] == nil {
                order.append(group)
                groups[group] = (0, 0, 0)
            }
            let p = grads ? network.params.grad(s.offset) : network.params.value(s.offset)
            for k in 0..<s.count {
                let v = Double(p[k])
                groups[group]!.sum += v
                groups[group]!.sq += v * v
            }
            groups[group]!.n += s.count
        }
        let kind = grads ? "grad" : "weight"
        return order.flatMap { g -> [(String, Double)] in
            let s = groups[g]!, mean = s.sum / Double(s.n)
            return [
                ("\(g).\(kind)_mean", mean),
                ("\(g).\(kind)_std", max(0, s.sq / Double(s.n) - mean * mean).squareRoot()),
            ]
        }
    }
}

// MARK: - Data-parallel steps

extension Trainer {
    /// One forward/backward over chunk `k`: every replica runs its streams on its own thread
    /// (one thread per matrix product: no per-time-step thread hand-offs), then the gradients are summed
    /// into the master's. Returns Σ loss and the number of predictions.
    func trainStep(chunk k: Int) -> (Double, Int) {
        for r in replicas { train.fill(k, inputs: &r.inputs, targets: &r.targets, streams: r.streams) }
        let count = replicas.reduce(0) { $0 + $1.targets.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) } }
        let seeds = replicas.map { _ in state.dropoutRNG.next() }  // per-replica dropout streams
        Replica.step(replicas, dropoutSeeds: seeds, scale: 1 / Float(max(count, 1)))
        return (replicas.reduce(0) { $0 + $1.loss }, count)
    }

    /// The carried (h, c) of every layer over all B streams, in stream order, for checkpoints.
    func gatherState() -> [[Float]] {
        (0..<network.layers.count).flatMap { l in
            [replicas.flatMap { $0.network.layers[l].h0.array }, replicas.flatMap { $0.network.layers[l].c0.array }]
        }
    }

    func scatterState(_ carried: [[Float]]) {
        let H = network.config.hidden
        for l in 0..<network.layers.count {
            for r in replicas {
                let range = (r.streams.lowerBound * H)..<(r.streams.upperBound * H)
                r.network.layers[l].h0.load(Array(carried[2 * l][range]))
                r.network.layers[l].c0.load(Array(carried[2 * l + 1][range]))
            }
        }
    }
}

/// One thread's share of a training step: its streams, buffers and last loss.
final class Replica: @unchecked Sendable {
    let network: StackedRNN
    let streams: Range<Int>
    let steps: Int
    var inputs: [Int32], targets: [Int32]
    var loss = 0.0

    init(_ network: StackedRNN, streams: Range<Int>, steps: Int) {
        self.network = network
        self.streams = streams
        self.steps = steps
        inputs = [Int32](repeating: 0, count: steps * streams.count)
        targets = inputs
        prepare()
    }

    func prepare() { network.prepare(steps: steps, batch: streams.count) }

    /// Every replica's forward and backward on its own thread, then their gradients summed into
    /// the first's (the master's).
    static func step(_ replicas: [Replica], dropoutSeeds: [UInt64], scale: Float) {
        let work = Unchecked(value: replicas)
        DispatchQueue.concurrentPerform(iterations: replicas.count) { r in
            work.value[r].step(dropoutSeed: dropoutSeeds[r], scale: scale)
        }
        let master = replicas[0].network.params
        for r in replicas.dropFirst() { Kernels.add(r.network.params.grads.p, into: master.grads.p, master.count) }
    }

    /// One replica per thread (at most one per stream), each a contiguous share of the `batch`
    /// streams; the first trains `network` itself, the others share its weights.
    static func shares(of network: StackedRNN, threads: Int, batch: Int, steps: Int) -> [Replica] {
        let R = max(1, min(threads, batch))
        return (0..<R).map { r in
            Replica(
                r == 0 ? network : StackedRNN(network.config, sharingWeightsWith: network),
                streams: (r * batch / R)..<((r + 1) * batch / R), steps: steps)
        }
    }

    func step(dropoutSeed: UInt64, scale: Float) {
        network.params.grads.zero()
        var rng = SplitMix64(seed: dropoutSeed)
        loss = withUnsafeMutablePointer(to: &rng) {
            network.forward(inputs: inputs, targets: targets, dropoutRNG: $0).loss
        }
        network.backward(inputs: inputs, targets: targets, scale: scale)
        network.carryState()
    }
}

struct Unchecked<T>: @unchecked Sendable { let value: T }

extension Int { var double: Double { Double(self) } }
