// The models a server keeps loaded: read from the store on first use, again when retrained.
import CharRNN
import Evaluation
import Foundation
import Markov
import VersoStore
import VersoText
import Word2Vec

/// A char-RNN ready to sample, with the index that finds copied windows (nil, and a note saying
/// why, when its training text cannot be read).
final class ServedCharModel: @unchecked Sendable {  // read-only after loading
    let model: CharModel
    let novelty: NoveltyIndex?
    let noveltyNote: String?

    init(_ model: CharModel) {
        self.model = model
        let path = model.record.corpus.path
        if let pipeline = try? CharacterPipeline(), let all = try? pipeline.symbols(ofFile: path, lenient: true) {
            novelty = NoveltyIndex(training: HeldOut.split(all, fraction: model.config.valFrac).train)
            noveltyNote = nil
        } else {
            novelty = nil
            noveltyNote = "the copy check is unavailable: the training text \(path) cannot be read"
        }
    }
}

/// A Markov model ready to sample, with its copy check like a char-RNN's.
final class ServedMarkovModel: @unchecked Sendable {
    let record: StoredModel
    let model: MarkovModel
    let novelty: NoveltyIndex?
    let noveltyNote: String?

    init(record: StoredModel, model: MarkovModel) {
        self.record = record
        self.model = model
        let path = record.corpus.path
        let training: [String]? =
            model.config.unit == .char
            ? (try? MarkovText()).flatMap { try? $0.characters(ofFile: path) }
            : (try? String(contentsOfFile: path, encoding: .utf8)).map { $0.map(String.init) }
        novelty = training.map { NoveltyIndex(training: $0) }
        noveltyNote = training == nil ? "the copy check is unavailable: the training text \(path) cannot be read" : nil
    }
}

/// Word vectors in memory with the normaliser their training used for query words.
final class ServedWordModel: @unchecked Sendable {
    let vectors: ServedVectors
    let normalizer: Normalizer

    init(_ vectors: ServedVectors) throws {
        self.vectors = vectors
        normalizer = try Normalizer(.init(caseFold: !vectors.model.config.keepCase))
    }
}

/// Models loaded on first use and kept. Each request looks its model up in the store (one indexed
/// row), so a model trained or retrained after the server started is picked up.
final class ModelCache: @unchecked Sendable {  // `entries` is guarded by `lock`
    let store: Store
    private let lock = NSLock()
    private var entries: [String: (version: [String], value: AnyObject)] = [:]

    init(store: Store) {
        self.store = store
    }

    func charModel(_ name: String?) async throws -> ServedCharModel {
        try await cached(name, .charnn) { record in
            ServedCharModel(try CharModelStore.load(store: self.store, name: record.name, label: .best))
        }
    }

    func markovModel(_ name: String?) async throws -> ServedMarkovModel {
        try await cached(name, .markov) { record in
            let (stored, model) = try MarkovModelStore.load(store: self.store, name: record.name)
            return ServedMarkovModel(record: stored, model: model)
        }
    }

    func wordModel(_ name: String?) async throws -> ServedWordModel {
        try await cached(name, .w2v) { record in
            try ServedWordModel(W2VModelStore.serve(store: self.store, name: record.name) { _ in })
        }
    }

    /// The kept value for the model, loaded (off the caller's thread) when missing or stale.
    private func cached<T: AnyObject & Sendable>(
        _ name: String?, _ kind: ModelKind, load: @escaping @Sendable (StoredModel) throws -> T
    ) async throws -> T {
        let record = try store.read { try $0.model(named: name, kind: kind) }
        let key = "\(kind.rawValue)/\(record.name)"
        // The creation time changes when a model is replaced; the update time when it is trained further.
        let version = [record.createdAt, record.updatedAt].map { String($0.timeIntervalSince1970) }
        if let hit = lock.withLock({ entries[key] }), hit.version == version, let value = hit.value as? T {
            return value
        }
        let value = try await Task.detached { try load(record) }.value
        lock.withLock { entries[key] = (version, value) }
        return value
    }
}
