// Phrase models in the store: `w2v phrases` learns and keeps one; `w2v train --phrases` joins its pairs.
import Foundation
import VersoStore
import VersoText

/// What a phrase run reports.
public struct PhraseRunSummary: Sendable {
    public var words: Int
    public var phrasesPerPass: [Int]
    public var readSeconds: Double
    public var learnSeconds: Double
    public var wordsPerSecond: Double  // over the learning, all passes
}

public enum PhraseModels {
    /// Learns phrases from `text` and keeps them as phrase model `name`, in one transaction.
    public static func learn(
        store: Store, name: String, text: Corpus, config: PhraseConfig, replacing: Bool, threads: Int,
        reading: ((Int, Int) -> Void)? = nil, stop: StopRequest = .never
    ) throws -> PhraseRunSummary {
        try config.validate()
        try store.checkNameAvailable(name, for: .phrases, replacing: replacing)
        let started = Date()
        let corpus = try EncodedCorpus(
            text, options: .init(keepCase: config.keepCase), threads: threads, progress: reading)
        guard corpus.tokenCount > 0 else { throw PhraseError(text.whyEmpty("\(text.name) has no words")) }
        let read = Date()
        try stop.check()
        let table = PhraseLearner.learn(corpus, config: config)
        let learned = Date()
        let model = try NewModel(
            name: name, kind: .phrases, config: config, corpus: try CorpusInfo(read: text), tokens: [], counts: [])
        try store.createModel(
            model, contents: ModelContents(phrases: table.passes), replacing: replacing, stop: stop)
        let seconds = learned.timeIntervalSince(read)
        return PhraseRunSummary(
            words: corpus.tokenCount, phrasesPerPass: table.passes.map(\.count),
            readSeconds: read.timeIntervalSince(started), learnSeconds: seconds,
            wordsPerSecond: Double(corpus.tokenCount * config.passes) / max(seconds, 1e-9))
    }

    /// Phrase model `name` (the latest when nil): its settings and its pairs.
    public static func load(store: Store, name: String?) throws -> (model: StoredModel, config: PhraseConfig,
                                                                    table: PhraseTable) {
        try store.read { reader in
            let record = try reader.model(named: name, kind: .phrases)
            let table = PhraseTable(passes: try reader.phrases(of: record))
            return (record, try record.decodeConfig(PhraseConfig.self), table)
        }
    }
}

/// Query words as a model's training saw them: case-folded unless it kept case, and for a model
/// trained on phrases, "nueva york" spelled as its token "nueva_york".
public struct QueryWords: Sendable {
    let normalizer: Normalizer
    let joinsPhrases: Bool

    public init(config: W2VConfig) throws {
        normalizer = try Normalizer(.init(caseFold: !config.keepCase))
        joinsPhrases = config.phrases != nil
    }

    public func normalize(_ word: String) throws -> String {
        let normalized = try normalizer.normalize(word)
        guard joinsPhrases else { return normalized }
        return normalized.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: Phrase.joiner)
    }
}
