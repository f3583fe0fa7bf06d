// The models a server keeps loaded: read from the store on first use, again when retrained.
import CharRNN
import Evaluation
import Foundation
import Markov
import Mixture
import VersoStore
import VersoText
import Word2Vec

/// Why a model has no copy check: it was trained before Verso kept the training text with it.
func copyCheckUnavailable(_ name: String) -> String {
    "the copy check is unavailable: '\(name)' was trained before Verso kept its training text; train it again"
}

/// A char-RNN or mixture ready to sample, with the checks that find copied windows and real
/// words against its training text as the store keeps it (nil, and a note saying why, for a
/// model trained before Verso kept it).
final class ServedCharModel: @unchecked Sendable {  // read-only after loading
    let model: CharGenerator
    let check: SampleCheck?
    let noveltyNote: String?

    init(_ model: CharGenerator) throws {
        self.model = model
        check = try model.trainingText.map { SampleCheck(training: try CharacterPipeline().symbols(of: $0)) }
        noveltyNote = model.trainingText == nil ? copyCheckUnavailable(model.name) : nil
    }
}

/// A Markov model ready to sample, with its checks like a char-RNN's.
final class ServedMarkovModel: @unchecked Sendable {
    let record: StoredModel
    let model: MarkovModel
    let check: SampleCheck?
    let noveltyNote: String?

    init(record: StoredModel, model: MarkovModel, trainingText: String?) throws {
        self.record = record
        self.model = model
        _ = model.smoother  // built here, not lazily by concurrent samplers
        let training = try trainingText.map {
            model.config.unit == .char ? try MarkovText().characters(of: $0) : $0.map(String.init)
        }
        check = training.map { SampleCheck(training: $0) }
        noveltyNote = training == nil ? copyCheckUnavailable(record.name) : nil
    }
}

/// Word vectors in memory with the normaliser their training used for query words.
final class ServedWordModel: @unchecked Sendable {
    let vectors: ServedVectors
    let normalizer: QueryWords

    init(_ vectors: ServedVectors) throws {
        self.vectors = vectors
        normalizer = try QueryWords(config: vectors.model.config)
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

    /// A char-RNN, or a mixture when `name` is one.
    func charModel(_ name: String?) async throws -> ServedCharModel {
        let kind: ModelKind = try name.flatMap { try store.kindOfModel(named: $0) } == .mixture ? .mixture : .charnn
        return try await cached(name, kind) { record in
            try ServedCharModel(CharGenerator.load(store: self.store, name: record.name, label: .best))
        }
    }

    func markovModel(_ name: String?) async throws -> ServedMarkovModel {
        try await cached(name, .markov) { record in
            let (stored, model) = try MarkovModelStore.load(store: self.store, name: record.name)
            let text = try MarkovModelStore.trainingText(store: self.store, record: stored)
            return try ServedMarkovModel(record: stored, model: model, trainingText: text)
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
