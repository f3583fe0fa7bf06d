// `charnn train --auto`: a model sized to the corpus and the time limit, from a throughput probe.
import Foundation
import VersoNN
import VersoRandom

/// The rule that turns a corpus, a time limit and this machine's measured speed into a training
/// config. The README's "Sizing a model to your time" explains it with the measurements behind it.
public enum AutoSizing {
    /// What the rule is given.
    public struct Facts: Sendable {
        public var trainSymbols: Int  // symbols that train (the corpus less its held-out part)
        public var validationSymbols: Int
        public var vocabulary: Int
        public var seconds: Double  // the time limit
        public init(trainSymbols: Int, validationSymbols: Int, vocabulary: Int, seconds: Double) {
            self.trainSymbols = trainSymbols
            self.validationSymbols = validationSymbols
            self.vocabulary = vocabulary
            self.seconds = seconds
        }
    }

    /// One measured size: training chars/s on this machine with the run's threads.
    public struct Probe: Sendable {
        public let layers: Int, hidden: Int, parameters: Int, charsPerSecond: Double
    }

    /// What the rule chose, with the probes and the reasons, one line each, for printing.
    public struct Choice: Sendable {
        public var config: TrainConfig
        public var probes: [Probe]
        public var reasons: [String]
    }

    /// The sizes tried, smallest first: char-rnn's README suggests 2 or 3 layers, 128 to 512 wide.
    static let sizes = [(2, 128), (2, 192), (2, 256), (2, 384), (2, 512), (3, 512)]
    /// A size is trained only if the run can show it this many symbols per weight (fewer, and a
    /// bigger model ends the time limit less trained than a smaller one that saw more text)...
    static let symbolsPerWeight = 15.0
    /// ...or this many epochs of the text: past them a small model only overfits, and a larger one
    /// held back by dropout generalises better (poetry, 10 minutes: 2×512 at 34 epochs and 2 symbols
    /// per weight beat 2×192 at 130 epochs, 1.768 against 1.802 nats/char).
    static let epochsEnough = 20.0
    /// ...and only if it has at most this many weights per training symbol (2×512 won at 16 on
    /// poetry; past 20 nothing is measured).
    static let weightsPerSymbol = 20.0
    /// The share of the time evaluation may take, and the most evaluations (checkpoints) a run makes.
    static let evaluationShare = 0.08, maxEvaluations = 20
    /// A run trains at about this share of the probe's rate (dropout masks, checkpoint writes, caches
    /// cooled by evaluations: 33.1k chars/s against a probe of 35.8k on tinyshakespeare, 2×256).
    static let runShareOfProbe = 0.9
    /// Dropout per doubling of the overfitting pressure (see `dropout(pressure:)`).
    static let dropoutPerDoubling = 0.06
    /// DropConnect on the recurrent weights for a run whose dropout is at its 0.5 cap, unless the
    /// user chose one: poetry, 10 minutes, 2×384 at dropout 0.5, test 2.5560 bits/char with 0.2
    /// against 2.5985 without and 2.6006 with a weight average instead (BENCHMARKS.md).
    static let dropConnectAtCap: Float = 0.2

    /// Chooses the config for `facts`, starting from `base` (cell, threads, seed, optimizer and the
    /// validation split are kept), measuring each size with `measure` (chars/s) as it goes.
    public static func choose(
        _ facts: Facts, base: TrainConfig, measure: (NetworkConfig) -> Double
    ) -> Choice {
        let N = Double(max(facts.trainSymbols, 1))
        var config = base
        config.network.vocabSize = facts.vocabulary
        var probes: [Probe] = []
        var reasons: [String] = []
        var chosen: (probe: Probe, symbols: Double)?
        var stoppedBy = ""
        for (layers, hidden) in sizes {
            var shape = config.network
            shape.layers = layers
            shape.hidden = hidden
            let weights = shape.parameterCount
            if weights > weightsPerSymbol * N {
                stoppedBy =
                    "\(layers)×\(hidden) has \(count(weights)) weights, over \(Int(weightsPerSymbol)) per "
                    + "training symbol (\(count(N)))"
                break
            }
            let measured = measure(shape)
            let rate = measured * runShareOfProbe
            let probe = Probe(layers: layers, hidden: hidden, parameters: Int(weights), charsPerSecond: measured)
            probes.append(probe)
            let seen = rate * trainingSeconds(facts, rate: rate).train
            if chosen != nil && seen < symbolsPerWeight * weights && seen < epochsEnough * N {
                stoppedBy =
                    "\(layers)×\(hidden) would see \(count(seen)) symbols in the time, "
                    + String(format: "%.1f per weight and %.1f epochs", seen / weights, seen / N)
                    + " (fewer than \(Int(symbolsPerWeight)) and \(Int(epochsEnough)))"
                break
            }
            chosen = (probe, seen)
        }
        guard let (probe, seen) = chosen else {
            // Even 2×128 has more weights than the rule allows for this little text: train it anyway.
            return choose(facts, base: base, fallback: stoppedBy, measure: measure)
        }
        config.network.layers = probe.layers
        config.network.hidden = probe.hidden
        let epochs = seen / N
        let pressure = epochs * Double(probe.parameters) / N
        config.network.dropout = dropout(pressure: pressure)
        let addsDropConnect = holdBackMore(&config.network)
        let evaluations = fitSchedule(&config, to: facts, rate: probe.charsPerSecond * runShareOfProbe)

        let perWeight =
            "(\(count(seen)) for \(count(Double(probe.parameters))) weights, " + String(format: "%.1f epochs)", epochs)
        let enough = seen >= symbolsPerWeight * Double(probe.parameters) || epochs >= epochsEnough
        reasons.append(
            (enough
                ? "\(probe.layers)×\(probe.hidden): the largest size that sees at least \(Int(symbolsPerWeight)) "
                    + "symbols per weight or \(Int(epochsEnough)) epochs in the time \(perWeight)"
                : "\(probe.layers)×\(probe.hidden): the smallest size; even it sees fewer than "
                    + "\(Int(symbolsPerWeight)) symbols per weight in the time \(perWeight)")
                + (stoppedBy.isEmpty ? "" : "; \(stoppedBy)"))
        reasons.append(
            String(format: "dropout %.2f: %.1f epochs", config.network.dropout, epochs)
                + String(format: " × %.2f weights per symbol", Double(probe.parameters) / N)
                + String(
                    format: " = overfitting pressure %.1f (dropout %.2f × log2(1 + pressure), at most 0.5)",
                    pressure, dropoutPerDoubling)
                + (addsDropConnect ? String(format: "; at the cap, so DropConnect %.1f too", dropConnectAtCap) : ""))
        reasons.append(
            "learning rate \(config.learningRate) down a cosine to a tenth over \(config.maxSteps!) steps of "
                + "\(config.batchSize) streams × \(config.seqLength) symbols; \(evaluations) evaluations "
                + "every \(config.evalEvery) steps")
        return Choice(config: config, probes: probes, reasons: reasons)
    }

    /// The smallest size, for a text too short for the rule's limits.
    static func choose(
        _ facts: Facts, base: TrainConfig, fallback why: String, measure: (NetworkConfig) -> Double
    ) -> Choice {
        var config = base
        config.network.vocabSize = facts.vocabulary
        config.network.layers = sizes[0].0
        config.network.hidden = sizes[0].1
        let measured = measure(config.network)
        config.network.dropout = 0.5
        _ = holdBackMore(&config.network)
        _ = fitSchedule(&config, to: facts, rate: measured * runShareOfProbe)
        let probe = Probe(
            layers: sizes[0].0, hidden: sizes[0].1, parameters: Int(config.network.parameterCount),
            charsPerSecond: measured)
        return Choice(
            config: config, probes: [probe],
            reasons: ["\(sizes[0].0)×\(sizes[0].1), the smallest size, with dropout 0.5: \(why)"])
    }

    /// Sets the steps the time allows at `rate` (chars/s) as `maxSteps`, with the evaluations spread
    /// over them and the cosine schedule ending there; returns the number of evaluations.
    static func fitSchedule(_ config: inout TrainConfig, to facts: Facts, rate: Double) -> Int {
        let time = trainingSeconds(facts, rate: rate)
        let steps = max(1, Int(time.train * rate / Double(config.batchSize * config.seqLength)))
        config.maxSteps = steps
        config.evalEvery = max(1, (steps + time.evaluations - 1) / time.evaluations)
        config.lrSchedule = .cosine
        // The step count ends the run: the epochs allow one more than those steps make.
        let chunks = StreamBatches.trainingCount(
            symbols: facts.trainSymbols, steps: config.seqLength, batch: config.batchSize)
        config.epochs = max(config.epochs, Double(steps) / Double(max(chunks, 1)) + 1)
        return time.evaluations
    }

    /// A network whose dropout is at the cap gets DropConnect as well, unless it has one already
    /// (the user's `--dropconnect`). Returns whether it added it.
    static func holdBackMore(_ network: inout NetworkConfig) -> Bool {
        guard network.dropout >= 0.5, network.dropConnect == nil else { return false }
        network.dropConnect = dropConnectAtCap
        return true
    }

    /// Dropout grows with the log of how often the run shows the model each symbol, scaled by how
    /// large the model is beside the text: 0.06 × log2(1 + pressure), at most 0.5, in steps of 0.05.
    /// 0.06 from two 10-minute runs on tinyshakespeare: 2×128 did best near 0.2 at pressure 7, 2×256
    /// near 0.25 at pressure 17 (0.4 cost it 0.035 nats/char). A model larger than its text (poetry,
    /// 2×512: 34 epochs × 16 weights per symbol) reaches the cap, where 0.5 won.
    static func dropout(pressure: Double) -> Float {
        let raw = min(0.5, dropoutPerDoubling * log2(1 + pressure))
        return Float((raw / 0.05).rounded() * 0.05)
    }

    /// The seconds left for training steps after the evaluations, and how many evaluations: a
    /// validation pass runs forward only, about 3× the training rate.
    static func trainingSeconds(_ facts: Facts, rate: Double) -> (train: Double, evaluations: Int) {
        let usable = facts.seconds * 0.97  // the probe, the store's writes, the final checkpoint
        let perEvaluation = Double(facts.validationSymbols) / (3 * max(rate, 1))
        let evaluations = max(1, min(maxEvaluations, Int(evaluationShare * usable / max(perEvaluation, 1e-9))))
        return (max(0, usable - Double(evaluations) * perEvaluation), evaluations)
    }

    /// Training chars/s of `shape` with `threads` replicas of batch × steps, measured on random
    /// symbols: one step to warm up, then steps until 0.3 s have passed (at least two).
    public static func measureThroughput(_ shape: NetworkConfig, threads: Int, batch: Int, steps: Int) -> Double {
        let network = StackedRNN(shape)
        var rng = SplitMix64(seed: 7)
        network.initialise(rng: &rng)
        let replicas = Replica.shares(of: network, threads: threads, batch: batch, steps: steps)
        for replica in replicas {
            for k in replica.inputs.indices {
                replica.inputs[k] = Int32(rng.next() % UInt64(shape.vocabSize))
                replica.targets[k] = Int32(rng.next() % UInt64(shape.vocabSize))
            }
        }
        let optimizer = Optimizer(.rmsprop, parameterCount: network.params.count, alpha: 0.95)
        func step() {
            Replica.step(replicas, dropoutSeeds: replicas.map { _ in rng.next() }, scale: 1 / Float(batch * steps))
            optimizer.step(network.params, lr: 1e-4)
        }
        step()
        let start = Date()
        var done = 0
        while done < 2 || Date().timeIntervalSince(start) < 0.3 {
            step()
            done += 1
        }
        return Double(done * batch * steps) / Date().timeIntervalSince(start)
    }

    static func count(_ x: Double) -> String {
        x >= 1e6 ? String(format: "%.1fM", x / 1e6) : x >= 1e3 ? String(format: "%.0fk", x / 1e3) : "\(Int(x))"
    }
}
