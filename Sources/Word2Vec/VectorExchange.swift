// Vector files in and out of the store: `w2v import` and `w2v export` (and the server) call these.
import Foundation
import VersoStore

/// How an import went, for its summary line.
public struct ImportSummary: Sendable {
    public var words: Int
    public var dim: Int
    public var ngramBuckets: Int  // the n-gram rows kept (a fastText .bin with subwords), else 0
    public var latin1Words: Int
    public var readSeconds: Double
    public var checksumSeconds: Double
    public var storeSeconds: Double
    public var indexed: Bool
}

/// What an import is asked to do besides reading the file.
public struct ImportRequest: Sendable {
    public var format: VectorFormat? = nil  // nil: detected
    public var encoding = WordEncoding.auto
    public var limit: Int? = nil
    public var keepCase = false
    public var replacing = false
    public var buildsIndex = true
    public var threads = 1

    public init() {}
}

extension W2VModelStore {
    /// Reads vector file `path` and stores it as model `name` in one transaction. A fastText .bin
    /// keeps its counts, arguments and n-gram rows (its unknown words are then answered); other
    /// files carry no counts, so rank order stands in (the first word most frequent).
    public static func importVectors(
        store: Store, name: String, path: String, request: ImportRequest, stop: StopRequest = .never
    ) throws -> ImportSummary {
        try store.checkNameAvailable(name, for: .w2v, replacing: request.replacing)
        let started = Date()
        // The file's checksum (the model's provenance) is taken on another thread while it is read;
        // a pipe or a device can be read once only, so that waits for the end of the read.
        var info = stat()
        let regular = stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        let checksum = BackgroundChecksum(path: path, alongside: request.threads > 1 && regular)
        var (v, notes) = try VectorFiles.read(
            path: path, format: request.format, encoding: request.encoding, limit: request.limit,
            threads: request.threads, stop: stop)
        let read = Date()
        var config = v.config ?? W2VConfig()
        if v.config == nil { config.epochs = 0 }  // trained elsewhere, settings unknown
        config.dim = v.dim
        config.keepCase = request.keepCase
        let counts = v.counts ?? (0..<v.words.count).map { v.words.count - $0 }
        let corpus = try checksum.result()
        let saving = Date()
        try save(
            store: store, name: name, corpus: corpus, config: config, words: v.words, counts: counts,
            vectors: wordVectors(normalizing: &v.vectors, dim: v.dim), metrics: [], replacing: request.replacing,
            threads: request.threads, index: request.buildsIndex, subwords: v.subwords, stop: stop)
        return ImportSummary(
            words: v.words.count, dim: v.dim, ngramBuckets: v.subwords?.rows.buckets.count ?? 0,
            latin1Words: notes.latin1Words, readSeconds: read.timeIntervalSince(started),
            checksumSeconds: saving.timeIntervalSince(read), storeSeconds: Date().timeIntervalSince(saving),
            indexed: request.buildsIndex && v.words.count > IVFIndex.minimumRows)
    }

    /// Writes model `name` to `path` in `format`; a fastText .bin carries a subword model's n-grams.
    /// Returns the model written.
    @discardableResult
    public static func exportVectors(
        store: Store, name: String?, path: String, format: VectorFormat
    ) throws -> W2VModel {
        let model = try load(store: store, name: name)
        let raw = try rawVectors(store: store, model: model)
        if format == .fasttext {
            try FastTextFiles.write(
                path: path, config: model.config, words: model.embeddings.words, counts: model.embeddings.counts,
                vectors: raw, subwords: try subwords(store: store, model: model))
        } else {
            try VectorFiles.write(
                path: path, format: format, words: model.embeddings.words, dim: model.config.dim, vectors: raw)
        }
        return model
    }
}

/// `CorpusInfo.of(file:)` started on a global queue (or, with `alongside` false, when asked for).
private final class BackgroundChecksum: @unchecked Sendable {
    private let path: String
    private let done = DispatchGroup()
    private var outcome: Result<CorpusInfo, any Error>?  // written once, before `done` is left

    init(path: String, alongside: Bool) {
        self.path = path
        guard alongside else { return }
        done.enter()
        DispatchQueue.global().async {
            self.outcome = Result { try CorpusInfo.of(file: path) }
            self.done.leave()
        }
    }

    func result() throws -> CorpusInfo {
        done.wait()
        return try (outcome ?? Result { try CorpusInfo.of(file: path) }).get()
    }
}
