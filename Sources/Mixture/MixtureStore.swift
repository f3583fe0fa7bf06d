// A mixture as the repository keeps it: the char-RNN's best weights, the chain's counts and the
// mixing weights, written in one transaction; and `charnn mix`, which makes one.
import CharRNN
import Evaluation
import Foundation
import Markov
import VersoNN
import VersoStore
import VersoText

public enum MixtureStore {
    static let weightsName = "mixer.weights"
    static let markovSymbolsName = "markov.symbols"

    /// What `mix` makes of a char-RNN.
    public struct Request: Sendable {
        public var lstm: String
        public var name: String
        public var markov: String?  // an existing chain instead of one counted here
        public var order = 6
        public var smoothing: SmoothingKind = .kneserNey
        public var mixer = MixerConfig()
        public var validationPath: String?  // default: the char-RNN's own validation part
        public var validationLimit: Int?  // learn the weights on at most this many validation symbols
        /// Once the weights are learned, count the validation part into the chain as well (a chain
        /// counted here): the stored mixture then knows all the text it was made from.
        public var countingValidation = true
        public var replacing = false
        public init(lstm: String, name: String) {
            self.lstm = lstm
            self.name = name
        }

        public func validate() throws {
            guard (1...32).contains(order) else { throw MixtureError("Markov order \(order) is not between 1 and 32") }
            guard config.learningRate >= 0 && config.learningRate <= 1 else {
                throw MixtureError("mixing learning rate \(config.learningRate) is not between 0 and 1")
            }
        }
        var config: MixerConfig { mixer }
    }

    /// The mixture, and how it did on the validation text it learned its weights from (nil when
    /// there was none: the weights then start from their defaults and learn as they are used).
    public struct Made: Sendable {
        public let model: MixtureModel
        public let validation: MixtureScore?
        public let warnings: [String]
        let trainingText: String
    }

    /// Copies char-RNN `request.lstm` (best checkpoint), counts a chain of its training split as
    /// the store keeps it (or takes `request.markov`), learns the weights online on its
    /// validation part, which neither part trained on, and stores the mixture.
    public static func mix(store: Store, _ request: Request, pipeline: CharacterPipeline) throws -> Made {
        let made = try make(store: store, request, pipeline: pipeline)
        try save(store: store, made, replacing: request.replacing)
        return made
    }

    /// `--auto`'s rule: the mixture of `request` is stored only when, on the validation part, it
    /// predicts better than its char-RNN alone (both measured in the same pass); nil otherwise.
    public static func mixIfItHelps(store: Store, _ request: Request, pipeline: CharacterPipeline) throws -> Made? {
        let made = try make(store: store, request, pipeline: pipeline)
        guard let v = made.validation, v.mixture.natsPerChar < v.lstm.natsPerChar else { return nil }
        try save(store: store, made, replacing: request.replacing)
        return made
    }

    /// The mixture of `request`, its weights learned, not yet stored.
    static func make(store: Store, _ request: Request, pipeline: CharacterPipeline) throws -> Made {
        try request.validate()
        try store.checkNameAvailable(request.name, for: .mixture, replacing: request.replacing)
        let lstm = try CharModelStore.load(store: store, name: request.lstm, label: .best)
        guard let training = try CharModelStore.trainingText(store: store, model: lstm) else {
            throw MixtureError(
                "char-RNN '\(lstm.record.name)' was trained before Verso kept its training text; train it again")
        }
        var warnings: [String] = []
        let markov: MarkovModel
        if let name = request.markov {
            let (record, chain) = try MarkovModelStore.load(store: store, name: name)
            guard chain.config.unit == .char else { throw MixtureError("Markov model '\(name)' is a word model") }
            if record.corpus.sha256 != lstm.record.corpus.sha256 || record.corpus.path != lstm.record.corpus.path {
                warnings.append(
                    "Markov model '\(name)' counted \(record.corpus.path), not the char-RNN's training split of "
                        + "\(lstm.record.corpus.path): it may have seen the text the weights are fitted on")
            }
            markov = chain
        } else {
            var config = MarkovConfig()
            config.order = request.order
            config.smoothing = request.smoothing
            markov = MarkovModel.buildCharacters(
                try pipeline.symbols(of: training), config: config, symbols: lstm.vocabulary.symbols)
        }
        let config = MixtureConfig(
            mixer: request.mixer, lstm: lstm.record.name, lstmStep: lstm.checkpoint.step, lstmConfig: lstm.config,
            markov: request.markov, markovConfig: markov.config)
        var model = MixtureModel(
            name: request.name, config: config, lstm: lstm, markov: markov,
            mixer: Mixer(config: request.mixer, vocabulary: lstm.vocabulary.count, order: markov.config.order))
        var validation: MixtureScore?
        var keptText = training
        let text = try validationSymbols(
            of: lstm, path: request.validationPath, pipeline: pipeline, warnings: &warnings)
        if let text {
            let ids = Array(lstm.vocabulary.encode(text).ids.prefix(request.validationLimit ?? .max))
            if ids.count > 1 {
                let fit = model.fitted(on: ids)
                model = fit.model
                validation = fit.score
            }
            if request.markov == nil && request.countingValidation {
                // The weights were learned on text the chain had not counted, as every text it is
                // used on later will be; now the chain counts it too, like the Markov rows counted on
                // a whole training file. The text just before what a writer writes next is the most
                // like it (on tinyshakespeare it is worth a quarter of a bit to a chain).
                let contiguous = request.validationPath == nil && lstm.config.valFile == nil
                keptText = contiguous ? training + text.joined() : joined(training, text)
                model = model.counting(try pipeline.symbols(of: keptText))
            }
        }
        if validation == nil { warnings.append("no validation text: the weights start from their defaults") }
        return Made(model: model, validation: validation, warnings: warnings, trainingText: keptText)
    }

    /// The training split followed by a validation text from another file, on a line of its own.
    static func joined(_ training: String, _ validation: [String]) -> String {
        let rest = validation.joined()
        if training.isEmpty || training.hasSuffix("\n") || rest.hasPrefix("\n") { return training + rest }
        return training + "\n" + rest
    }

    /// The char-RNN's validation part: `path` when given, else its validation file, else the last
    /// `valFrac` of its corpus read again (nil, with a warning, when that is gone or changed).
    static func validationSymbols(
        of lstm: CharModel, path: String?, pipeline: CharacterPipeline, warnings: inout [String]
    ) throws -> [String]? {
        if let path { return try EncodedSymbols.read(path: path).strings }
        if let file = lstm.config.valFile {
            guard FileManager.default.fileExists(atPath: file) else {
                warnings.append("the char-RNN's validation file \(file) is gone")
                return nil
            }
            return try EncodedSymbols.read(path: file).strings
        }
        let corpus = lstm.record.corpus
        guard corpus.memberPaths.count == 1, let file = corpus.memberPaths.first,
            FileManager.default.fileExists(atPath: file), (try? CorpusInfo.of(file: file).sha256) == corpus.sha256,
            let symbols = try? EncodedSymbols.read(path: file).strings
        else {
            warnings.append("the char-RNN's corpus \(corpus.path) is not one unchanged file; give its validation text")
            return nil
        }
        return HeldOut.split(symbols, fraction: lstm.config.valFrac).heldOut
    }

    static func save(store: Store, _ made: Made, replacing: Bool) throws {
        let model = made.model, validation = made.validation
        let lstm = model.lstm
        var record = try NewModel(
            name: model.name, kind: .mixture, config: model.config, corpus: lstm.record.corpus,
            tokens: lstm.vocabulary.symbols, counts: lstm.vocabulary.counts)
        record.trainingText = try TrainingText.compress(made.trainingText)
        var blobs = MarkovModelStore.countBlobs(model.markov)
        blobs.append(
            Blob(
                name: markovSymbolsName, dtype: "application/json",
                bytes: Array(try JSONEncoder().encode(model.markov.symbols))))
        var tensors = CharModelStore.weights(of: lstm.network)
        tensors.append(
            Tensor(name: weightsName, shape: [model.mixer.weights.count], values: model.mixer.weights.map(Float.init)))
        var metrics: [Metric] = []
        if let v = validation {
            metrics += [
                Metric(step: 0, key: "val_loss", value: v.mixture.natsPerChar),
                Metric(step: 0, key: "val_loss_lstm", value: v.lstm.natsPerChar),
                Metric(step: 0, key: "val_loss_markov", value: v.markov.natsPerChar),
            ]
        }
        try store.createModel(
            record, contents: ModelContents(tensors: tensors, blobs: blobs, metrics: metrics), replacing: replacing)
    }

    /// Mixture `name` (default: the most recent one).
    public static func load(store: Store, name: String?) throws -> MixtureModel {
        try store.read { reader in
            let record = try reader.model(named: name, kind: .mixture)
            let config = try record.decodeConfig(MixtureConfig.self)
            let (symbols, counts) = try reader.vocabulary(of: record)
            let network = try CharModelStore.loadNetwork(reader, of: record, config: config.lstmConfig.network, at: nil)
            let lstm = CharModel(
                record: record, config: config.lstmConfig, vocabulary: CharVocabulary(symbols: symbols, counts: counts),
                network: network, checkpoint: Checkpoint(
                    step: config.lstmStep, epoch: 0, trainLoss: nil, valLoss: nil, lr: nil, resumeState: nil))
            guard let symbolBytes = try reader.blob(markovSymbolsName, of: record),
                let markovSymbols = try? JSONDecoder().decode([String].self, from: Data(symbolBytes))
            else { throw StoreError("model '\(record.name)' is corrupt: its chain's symbols are missing") }
            let markov = try MarkovModelStore.model(
                reader, of: record, config: config.markovConfig, symbols: markovSymbols)
            let stored = try reader.tensor(weightsName, of: record).values.map(Double.init)
            let fresh = Mixer(config: config.mixer, vocabulary: symbols.count, order: config.markovConfig.order)
            guard let mixer = fresh.with(weights: stored) else {
                throw StoreError("model '\(record.name)' is corrupt: its mixing weights do not fit its parts")
            }
            return MixtureModel(name: record.name, config: config, lstm: lstm, markov: markov, mixer: mixer)
        }
    }

    /// The char-RNN's training split, as the mixture keeps it (for copy checks).
    public static func trainingText(store: Store, name: String) throws -> String? {
        try store.read { try $0.trainingText(of: try $0.model(named: name, kind: .mixture)) }
    }
}

public struct MixtureError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
