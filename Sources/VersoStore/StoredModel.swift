// The plain values models hand the repository and get back: no SQL, no GRDB beyond this module.
import Foundation

/// A model as the store keeps it: who it is, what it was trained on, and its configuration.
public struct StoredModel: Sendable, Equatable {
    let id: Int64
    public let name: String
    public let kind: ModelKind
    public let configJSON: String
    public let corpus: CorpusInfo
    public let createdAt: Date
    public let updatedAt: Date

    public func decodeConfig<C: Decodable>(_ type: C.Type) throws -> C {
        do { return try JSONDecoder().decode(type, from: Data(configJSON.utf8)) } catch {
            throw StoreError("model \(name): its stored configuration cannot be read (\(error))")
        }
    }
}

/// A model about to be created: its name and kind, its configuration, its corpus and vocabulary.
public struct NewModel: Sendable {
    public var name: String
    public var kind: ModelKind
    public var configJSON: String
    public var corpus: CorpusInfo
    public var tokens: [String]
    public var counts: [Int]
    /// The text the model learns from, compressed (`TrainingText.compress` or `.Writer`): char-RNN
    /// and Markov models keep it for their copy checks; nil to keep none.
    public var trainingText: TrainingText.Compressed?

    public init<Config: Encodable>(
        name: String, kind: ModelKind, config: Config, corpus: CorpusInfo,
        tokens: [String], counts: [Int]
    ) throws {
        try ModelName.check(name)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        self.name = name
        self.kind = kind
        self.configJSON = String(decoding: try encoder.encode(config), as: UTF8.self)
        self.corpus = corpus
        self.tokens = tokens
        self.counts = counts
    }
}

/// Opaque bytes kept with a model: word lists, count arrays, a compare table. `dtype` says how
/// to read them ("utf8-lines", "int32", "int64", or a media type for artifacts).
public struct Blob: Sendable, Equatable {
    public var name: String
    public var dtype: String
    public var bytes: [UInt8]
    public init(name: String, dtype: String, bytes: [UInt8]) {
        self.name = name
        self.dtype = dtype
        self.bytes = bytes
    }
}

/// One point of a training curve.
public struct Metric: Sendable, Equatable {
    public var step: Int
    public var key: String
    public var value: Double
    public init(step: Int, key: String, value: Double) {
        self.step = step
        self.key = key
        self.value = value
    }
}

/// Everything a model of one piece (word2vec, Markov, document vectors) is written with, in one transaction.
public struct ModelContents: Sendable {
    public var tensors: [Tensor] = []
    public var blobs: [Blob] = []
    public var metrics: [Metric] = []
    public var wordVectors: WordVectors?  // kept in the vocabulary rows
    public var vectorIndex: VectorIndex?  // of the word vectors, or of the documents when there are any
    public var documents: DocumentVectors?
    public var ngramRows: NgramRows?  // a subword model's character n-grams
    public var phrases: [[Phrase]]?  // a phrase model's pairs, pass by pass
    public init(
        tensors: [Tensor] = [], blobs: [Blob] = [], metrics: [Metric] = [], wordVectors: WordVectors? = nil,
        vectorIndex: VectorIndex? = nil, documents: DocumentVectors? = nil, ngramRows: NgramRows? = nil,
        phrases: [[Phrase]]? = nil
    ) {
        self.phrases = phrases
        self.documents = documents
        self.ngramRows = ngramRows
        self.tensors = tensors
        self.blobs = blobs
        self.metrics = metrics
        self.wordVectors = wordVectors
        self.vectorIndex = vectorIndex
    }

    /// The bytes of its large parts (word vectors, n-gram rows, tensors, blobs): what decides
    /// whether the store writes it once (`Store.writeOnceBytes`).
    var largePartsBytes: Int {
        let floats = (wordVectors?.unit.count ?? 0) + (ngramRows?.values.count ?? 0)
        return 4 * (floats + tensors.reduce(0) { $0 + $1.values.count }) + blobs.reduce(0) { $0 + $1.bytes.count }
    }
}

public enum CheckpointLabel: String, Sendable, CaseIterable {
    case latest  // where training goes on from (weights, optimiser moments, carried state)
    case best  // the lowest validation loss so far (weights only)
    case averaged  // the running average of the weights (`--ema`), as of the latest checkpoint
}

/// What a checkpoint row says of a training run at one step. `resumeState` is the trainer's own
/// opaque record of what a resume needs besides tensors (its RNG, its optimiser's step count).
public struct Checkpoint: Sendable, Equatable {
    public var step: Int
    public var epoch: Double
    public var trainLoss: Double?
    public var valLoss: Double?
    public var lr: Double?
    public var resumeState: [UInt8]?
    public init(step: Int, epoch: Double, trainLoss: Double?, valLoss: Double?, lr: Double?, resumeState: [UInt8]?) {
        self.step = step
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.valLoss = valLoss
        self.lr = lr
        self.resumeState = resumeState
    }
}
