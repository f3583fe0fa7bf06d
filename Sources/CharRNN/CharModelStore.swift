// A char-RNN's checkpoints as the repository keeps them: which tensors, and how a resume reads back.
import Evaluation
import Foundation
import VersoNN
import VersoRandom
import VersoStore
import VersoText

/// A char-RNN loaded from the store: its record, configuration, vocabulary and network.
public struct CharModel {
    public let record: StoredModel
    public let config: TrainConfig
    public let vocabulary: CharVocabulary
    public let network: StackedRNN
    public let checkpoint: Checkpoint

    public init(
        record: StoredModel, config: TrainConfig, vocabulary: CharVocabulary, network: StackedRNN,
        checkpoint: Checkpoint
    ) {
        self.record = record
        self.config = config
        self.vocabulary = vocabulary
        self.network = network
        self.checkpoint = checkpoint
    }
}

/// What a checkpoint holds beyond the weights, so `--resume` continues exactly.
public struct TrainingState {
    public var step: Int
    public var epoch: Double
    public var trainLoss: Double?
    public var valLoss: Double?
    public var bestValLoss: Double?
    public var lr: Float
    public var dropoutRNG: SplitMix64
    public var carried: [[Float]]? = nil  // per layer: h then c, B×H each (truncated-BPTT state)
}

/// The checkpoint's `resumeState`: the dropout RNG and the optimiser's step count (Adam's bias
/// correction needs it), 8 little-endian bytes each.
struct ResumeState {
    var rng: UInt64
    var optimizerStep: UInt64

    var bytes: [UInt8] {
        withUnsafeBytes(of: rng.littleEndian) { Array($0) }
            + withUnsafeBytes(of: optimizerStep.littleEndian) { Array($0) }
    }

    init(rng: UInt64, optimizerStep: UInt64) {
        self.rng = rng
        self.optimizerStep = optimizerStep
    }

    init(bytes: [UInt8]?) {
        let b = bytes ?? []
        func word(_ at: Int) -> UInt64 {
            guard b.count >= at + 8 else { return 0 }
            return (0..<8).reduce(UInt64(0)) { $0 | UInt64(b[at + $1]) << (8 * UInt64($1)) }
        }
        rng = word(0)
        optimizerStep = word(8)
    }
}

public enum CharModelStore {
    static let paramPrefix = "param:"

    // MARK: Writing

    /// Hands the repository one checkpoint: the latest (weights, optimiser moments, carried state,
    /// resume state) and, when `isBest`, the best (weights). The first checkpoint creates the
    /// model; with `replacing` it also replaces the old model of that name (`--force`), so a run
    /// killed before it keeps the old model.
    public static func writeCheckpoint(
        store: Store, name: String, corpus: CorpusInfo, config: TrainConfig,
        vocabulary: CharVocabulary, network: StackedRNN, optimizer: Optimizer,
        state: TrainingState, isBest: Bool, metrics: [Metric], trainingText: TrainingText.Compressed? = nil,
        replacing: Bool = false, best: [Tensor]? = nil, averaged: (valLoss: Double?, tensors: [Tensor])? = nil
    ) throws {
        var model = try NewModel(
            name: name, kind: .charnn, config: config, corpus: corpus,
            tokens: vocabulary.symbols, counts: vocabulary.counts)
        model.trainingText = trainingText
        let resume = ResumeState(rng: state.dropoutRNG.state, optimizerStep: UInt64(optimizer.t))
        let checkpoint = Checkpoint(
            step: state.step, epoch: state.epoch, trainLoss: state.trainLoss,
            valLoss: state.valLoss, lr: Double(state.lr), resumeState: resume.bytes)
        let weights = weightTensors(network)
        var latest = weights
        latest.append(Tensor(name: "optimizer.first", shape: [optimizer.first.count], values: optimizer.first.array))
        latest.append(Tensor(name: "optimizer.second", shape: [optimizer.second.count], values: optimizer.second.array))
        for (k, values) in (state.carried ?? []).enumerated() {
            latest.append(
                Tensor(name: "state.\(k % 2 == 0 ? "h" : "c")\(k / 2)", shape: [values.count], values: values))
        }
        // The averaged weights' own checkpoint: the same step, their own validation loss.
        let averagedCheckpoint = averaged.map { a in
            (Checkpoint(
                step: state.step, epoch: state.epoch, trainLoss: nil, valLoss: a.valLoss, lr: Double(state.lr),
                resumeState: nil), a.tensors)
        }
        try store.saveCheckpoint(
            checkpoint, of: model, latestTensors: latest, bestTensors: isBest ? best ?? weights : nil,
            averaged: averagedCheckpoint, metrics: metrics, replacing: replacing)
    }

    static func weightTensors(_ network: StackedRNN) -> [Tensor] {
        network.params.slices.map { s in
            Tensor(
                name: paramPrefix + s.name, shape: s.shape,
                values: Array(UnsafeBufferPointer(start: network.params.value(s.offset), count: s.count)))
        }
    }

    // MARK: Reading

    /// The text the model trained on (its training split), or nil for a model trained before
    /// Verso kept it with the model.
    public static func trainingText(store: Store, model: CharModel) throws -> String? {
        try store.read { try $0.trainingText(of: model.record) }
    }

    /// Loads model `name` (default: the most recent char-RNN) at its best or latest checkpoint.
    public static func load(store: Store, name: String?, label: CheckpointLabel = .best) throws -> CharModel {
        try store.read { reader in
            let record = try reader.model(named: name, kind: .charnn)
            let config = try record.decodeConfig(TrainConfig.self)
            let (symbols, counts) = try reader.vocabulary(of: record)
            let checkpoint = try reader.checkpoint(label, of: record)
            let network = try loadNetwork(reader, of: record, config: config.network, at: label)
            return CharModel(
                record: record, config: config, vocabulary: CharVocabulary(symbols: symbols, counts: counts),
                network: network, checkpoint: checkpoint)
        }
    }

    /// The network of `record`'s weight tensors at a checkpoint (nil: the model's own tensors,
    /// as a mixture keeps the char-RNN it copied).
    public static func loadNetwork(
        _ reader: ModelReader, of record: StoredModel, config: NetworkConfig, at label: CheckpointLabel?
    ) throws -> StackedRNN {
        let network = StackedRNN(config)
        for s in network.params.slices {
            let t = try reader.tensor(paramPrefix + s.name, of: record, at: label)
            guard t.shape == s.shape else {
                throw StoreError("model '\(record.name)': tensor \(s.name) has shape \(t.shape), expected \(s.shape)")
            }
            t.values.withUnsafeBufferPointer {
                network.params.value(s.offset).update(from: $0.baseAddress!, count: s.count)
            }
        }
        return network
    }

    /// The weight tensors of `network`, as checkpoints keep them.
    public static func weights(of network: StackedRNN) -> [Tensor] { weightTensors(network) }

    /// The weights of `values` (the network's layout), as checkpoints keep them.
    static func weightTensors(_ network: StackedRNN, values: UnsafePointer<Float>) -> [Tensor] {
        network.params.slices.map { s in
            Tensor(
                name: paramPrefix + s.name, shape: s.shape,
                values: Array(UnsafeBufferPointer(start: values + s.offset, count: s.count)))
        }
    }

    /// The averaged weights of the latest `--ema` checkpoint, in the network's layout (nil: none).
    static func averagedWeights(_ reader: ModelReader, of record: StoredModel, network: StackedRNN) throws -> [Float]? {
        guard (try? reader.checkpoint(.averaged, of: record)) != nil else { return nil }
        let averaged = try loadNetwork(reader, of: record, config: network.config, at: .averaged)
        return averaged.params.values.array
    }

    /// Restores what `--resume` needs from the latest checkpoint into `optimizer` and `network`.
    public static func restoreTraining(store: Store, model: CharModel, optimizer: Optimizer) throws -> TrainingState {
        try store.read { reader in
            let record = model.record
            optimizer.first.load(try reader.tensor("optimizer.first", of: record, at: .latest).values)
            optimizer.second.load(try reader.tensor("optimizer.second", of: record, at: .latest).values)
            var carried: [[Float]] = []
            for l in 0..<model.network.layers.count {
                carried.append(try reader.tensor("state.h\(l)", of: record, at: .latest).values)
                carried.append(try reader.tensor("state.c\(l)", of: record, at: .latest).values)
            }
            let checkpoint = try reader.checkpoint(.latest, of: record)
            let resume = ResumeState(bytes: checkpoint.resumeState)
            optimizer.t = Int(resume.optimizerStep)
            return TrainingState(
                step: checkpoint.step, epoch: checkpoint.epoch, trainLoss: checkpoint.trainLoss,
                valLoss: checkpoint.valLoss, bestValLoss: try reader.bestValidationLoss(of: record),
                lr: Float(checkpoint.lr ?? 0), dropoutRNG: SplitMix64(seed: resume.rng),
                carried: carried)
        }
    }
}

extension CharModelStore {
    /// The model's validation text read again from where it trained (its validation file, or the
    /// held-out end of its corpus) as ids, with where it came from; nil when those files are gone.
    public static func validationIDs(of model: CharModel) -> (ids: [Int32], source: String)? {
        let files: [String]
        if let valFile = model.config.valFile {
            files = [valFile]
        } else {
            let members = model.record.corpus.members.filter { $0.skipped == nil }.map(\.path)
            files = members.isEmpty ? [model.record.corpus.path] : members
        }
        guard !files.contains("-"), files.allSatisfy({ FileManager.default.isReadableFile(atPath: $0) }),
            let corpus = try? Corpus(files), let symbols = try? EncodedSymbols.read(corpus)
        else { return nil }
        let ids = model.vocabulary.encode(symbols).ids
        let source = files.joined(separator: " + ")
        if model.config.valFile != nil { return (ids, source) }
        return (HeldOut.split(ids, fraction: model.config.valFrac).heldOut, "the held-out end of \(source)")
    }
}
