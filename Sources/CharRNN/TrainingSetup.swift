// Setting up a char-RNN run from a corpus file: new (or fine-tuned) models and resumed ones.
import Evaluation
import Foundation
import VersoNN
import VersoRandom
import VersoStore
import VersoText

/// A corpus or model that cannot start a run, as one line.
public struct SetupError: AdvisingError {
    public let message: String
    public var advice: SettingAdvice? = nil

    public init(description: String, advice: SettingAdvice? = nil) {
        message = description
        self.advice = advice
    }
}

public enum TrainingSetup {
    /// A trainer for a new model `name` on `corpus` with `config` (its `network.vocabSize` is
    /// filled from the corpus), or fine-tuning model `initFrom` on it. Refuses, before reading the
    /// corpus, a name the store cannot give it, and before allocating anything, a network larger
    /// than the machine's memory. With `replacing`, the first checkpoint replaces the old model.
    /// With `autoSeconds` (a time limit), `AutoSizing` chooses the network and the schedule
    /// (`Trainer.autoChoice` says what and why).
    public static func newModel(
        store: Store, corpus text: Corpus, name: String, config: TrainConfig,
        initFrom: String? = nil, replacing: Bool = false, autoSeconds: Double? = nil
    ) throws -> Trainer {
        try store.checkNameAvailable(name, for: .charnn, replacing: replacing)
        let symbols = try EncodedSymbols.read(text, threads: config.threads)
        guard symbols.ids.count > 1 else {
            throw SetupError(description: text.whyEmpty("\(text.name) is empty: nothing to train on"))
        }
        let corpus = try CorpusInfo(read: text)
        var config = config
        let base = try initFrom.map { try CharModelStore.load(store: store, name: $0, label: .best) }
        // Fine-tuning widens the base to the symbols the new text adds.
        let vocabulary =
            base.map { VocabularyGrowth.grown($0.vocabulary, by: symbols) } ?? CharVocabulary.build(symbols)
        // One symbol is always predicted with certainty: the loss is 0 from the first step.
        guard vocabulary.count >= 2 else {
            let only = vocabulary.symbols.first.map { $0.unicodeScalars.map { $0.escaped(asASCII: false) }.joined() }
            throw SetupError(
                description: "\(text.name) holds one distinct character ('\(only ?? "")'): there is nothing to "
                    + "learn; give a text with at least two")
        }
        let encoded = vocabulary.encode(symbols)
        let (trainIDs, valIDs) = try split(encoded.ids, config: config, vocabulary: vocabulary, lenient: text.lenient)
        var choice: AutoSizing.Choice?
        if let seconds = autoSeconds {
            let facts = AutoSizing.Facts(
                trainSymbols: trainIDs.count, validationSymbols: valIDs.count, vocabulary: vocabulary.count,
                seconds: seconds)
            choice = AutoSizing.choose(facts, base: config) { shape in
                AutoSizing.measureThroughput(
                    shape, threads: config.threads, batch: config.batchSize, steps: config.seqLength)
            }
            config = choice!.config
        }
        let network: StackedRNN
        if let base {
            var rng = SplitMix64(seed: config.rngSeed)
            network =
                vocabulary.count == base.vocabulary.count
                ? base.network : VocabularyGrowth.widen(base.network, to: vocabulary.count, rng: &rng)
        } else {
            config.network.vocabSize = vocabulary.count
            let shape = config.network
            let replicas = min(config.threads, config.batchSize)
            try SystemMemory.require(
                shape.trainingBytes(steps: config.seqLength, batch: config.batchSize, replicas: replicas),
                for: "a \(shape.layers)×\(shape.hidden) \(shape.cell.rawValue) in batches of \(config.batchSize) "
                    + "sequences of \(config.seqLength) symbols")
            network = StackedRNN(shape)
            var rng = SplitMix64(seed: config.rngSeed)
            network.initialise(rng: &rng)
        }
        config.network = network.config
        let trainer = try Trainer(
            config: config, vocabulary: vocabulary, network: network, trainIDs: trainIDs,
            validationIDs: valIDs, store: store, name: name, corpus: corpus, resumeFrom: nil)
        trainer.replacesExisting = replacing  // the old model goes with the first checkpoint, not before
        trainer.autoChoice = choice
        trainer.addedSymbols = base.map { Array(vocabulary.symbols[$0.vocabulary.count...]) } ?? []
        return trainer
    }

    /// A trainer that continues model `name` from its latest checkpoint on the text it was trained
    /// on (`corpus`, default: the members recorded with it), with `adjust` applied to its config
    /// (more steps, another learning rate or thread count).
    public static func resume(
        store: Store, name: String, corpus given: Corpus? = nil,
        adjust: (inout TrainConfig) -> Void = { _ in }
    ) throws -> Trainer {
        let model = try CharModelStore.load(store: store, name: name, label: .latest)
        let recorded = model.record.corpus
        if given == nil && recorded.memberPaths.contains("-") {
            throw SetupError(
                description: "model '\(name)' was trained on standard input: give its text again (- or files)")
        }
        let text = try given ?? Corpus(hashing: recorded.memberPaths)
        var config = model.config
        adjust(&config)
        let symbols = try EncodedSymbols.read(text, threads: config.threads)
        let corpus = try CorpusInfo(read: text)
        guard corpus.sha256 == recorded.sha256 else {
            // Name the first file that differs when both lists are known.
            let changed =
                zip(corpus.members.filter { $0.skipped == nil }, recorded.members.filter { $0.skipped == nil })
                .first { $0.0 != $0.1 }.map { ": \($0.1.path) changed" } ?? ""
            throw SetupError(
                description: "\(text.name) is not the text model '\(name)' was trained on "
                    + "(SHA-256 differs\(changed))", advice: .initialiseFrom)
        }
        let encoded = model.vocabulary.encode(symbols)
        let (trainIDs, valIDs) = try split(
            encoded.ids, config: config, vocabulary: model.vocabulary, lenient: text.lenient)
        let optimizer = Optimizer(
            config.optimizer, parameterCount: model.network.params.count, alpha: config.rmspropAlpha)
        let state = try CharModelStore.restoreTraining(store: store, model: model, optimizer: optimizer)
        let trainer = try Trainer(
            config: config, vocabulary: model.vocabulary, network: model.network, trainIDs: trainIDs,
            validationIDs: valIDs, store: store, name: name, corpus: corpus, resumeFrom: state)
        trainer.optimizer.first.load(optimizer.first.array)
        trainer.optimizer.second.load(optimizer.second.array)
        trainer.optimizer.t = optimizer.t
        if let average = try store.read({
            try CharModelStore.averagedWeights($0, of: model.record, network: model.network)
        }) {
            trainer.resumeAverage(from: average)
        }
        return trainer
    }

    /// Training and validation ids: the corpus and `--val-file` when there is one, else the
    /// corpus with its last `valFrac` held out.
    static func split(
        _ ids: [Int32], config: TrainConfig, vocabulary: CharVocabulary, lenient: Bool
    ) throws -> (
        train: [Int32], heldOut: [Int32]
    ) {
        guard let valFile = config.valFile else { return HeldOut.split(ids, fraction: config.valFrac) }
        let encoded = vocabulary.encode(
            try EncodedSymbols.read(path: valFile, lenient: lenient, threads: config.threads))
        if !encoded.unknown.isEmpty {
            let examples = Set(encoded.unknown).prefix(5).map { "'\($0)'" }.joined(separator: " ")
            throw SetupError(
                description: "the validation file \(valFile) has \(encoded.unknown.count) symbols the training text "
                    + "lacks, e.g. \(examples)")
        }
        guard encoded.ids.count > 1 else { throw SetupError(description: "the validation file \(valFile) is empty") }
        return (ids, encoded.ids)
    }
}
