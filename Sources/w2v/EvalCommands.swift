// `w2v eval` (analogy accuracy), `w2v eval-similarity` (Spearman ρ), `w2v export` and `w2v import`.
import ArgumentParser
import Evaluation
import Foundation
import VersoCLI
import VersoStore
import VersoText
import Word2Vec

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Analogy accuracy on a questions-words file (': section' lines, then A B C D).",
        discussion: "Example: w2v eval questions-words-es.txt --restrict-vocab 30000 --json")
    @Argument(help: "The questions file.") var file: String
    @Option(help: "Consider only the N most frequent words (the C tool's default).") var restrictVocab = 30000
    @Option(help: "add (3CosAdd) or mul (3CosMul).") var method: Embeddings.AnalogyMethod = .add
    @OptionGroup var query: QueryOptions

    struct Result: Encodable {
        let model: String, accuracy: Double, questions: Int, correct: Int, skipped: Int, malformedLines: [Int]
        let outOfVocabulary: Int
        let sections: [String: AnalogyReport.Section]
        enum CodingKeys: String, CodingKey {
            case model, accuracy, questions, correct, skipped, sections, malformedLines = "malformed_lines"
            case outOfVocabulary = "out_of_vocabulary"
        }
    }

    func run() throws {
        // Words outside the top N are skipped, so only those N rows are read.
        for (m, normalize) in try query.load(limit: restrictVocab) {
            let subwords = try W2VModelStore.subwords(store: try query.storeOptions.openForReading(), model: m)
            let r = try AnalogyEvaluator.evaluate(
                path: file, embeddings: m.embeddings, method: method, restrict: restrictVocab, normalize: normalize,
                outOfVocabulary: subwords.map { matrix in { matrix.unitVector(of: $0) } })
            if !r.malformed.isEmpty {
                Output.note(
                    "w2v: \(file): skipped malformed lines "
                        + r.malformed.prefix(10).map(String.init).joined(separator: ", ")
                        + (r.malformed.count > 10 ? ", …" : ""))
            }
            if query.json {
                try Output.json(
                    Result(
                        model: m.record.name, accuracy: r.accuracy, questions: r.questions, correct: r.correct,
                        skipped: r.skipped, malformedLines: r.malformed, outOfVocabulary: r.outOfVocabulary,
                        sections: r.sections))
                continue
            }
            let rows = r.sectionOrder.map { s in
                [
                    s, "\(r.sections[s]!.correct)/\(r.sections[s]!.count)",
                    String(format: "%.1f%%", 100 * r.sections[s]!.accuracy),
                ]
            }
            print(Output.table(headers: ["SECTION", "CORRECT", "ACCURACY"], rows: rows, rightAligned: [1, 2]))
            let fromNgrams = r.outOfVocabulary > 0 ? "; \(r.outOfVocabulary) with n-gram vectors" : ""
            print(
                String(
                    format: "%@: %.2f%% of %d questions (%d skipped: words outside the top %d%@)",
                    m.record.name, 100 * r.accuracy, r.questions, r.skipped, restrictVocab, fromNgrams))
        }
    }
}

struct EvalSimilarityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-similarity",
        abstract: "Spearman correlation with human similarity scores (lines 'w1 w2 score').")
    @Argument(help: "Word pairs with scores (tab or space separated; '#' comments).") var file: String
    @OptionGroup var query: QueryOptions

    struct Result: Encodable {
        let model: String
        let report: SimilarityReport
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(model, forKey: .model)
            try report.encode(to: encoder)
        }
        enum CodingKeys: String, CodingKey { case model }
    }

    func run() throws {
        let text = try CorpusReader.readText(path: file)
        let results = try query.each(exact: true) { model, source, normalize in
            do {
                return Result(model: model, report: try SimilarityEvaluator.evaluate(
                    text: text, source: source, normalize: normalize))
            } catch let error as VectorFileError { throw InputError("\(file): \(error)") }
        }
        for r in results {
            let m = r.report
            if !m.malformed.isEmpty {
                let lines = m.malformed.prefix(10).map(String.init).joined(separator: ", ")
                Output.note("w2v: \(file): skipped malformed lines " + lines + (m.malformed.count > 10 ? ", …" : ""))
            }
            if query.json {
                try Output.json(r)
                continue
            }
            let fromNgrams = m.outOfVocabulary > 0 ? ", \(m.outOfVocabulary) of them from character n-grams" : ""
            print(
                String(
                    format: "%@: Spearman ρ = %.4f over %d of %d pairs (coverage %.1f%%%@)", r.model, m.spearman,
                    m.pairs, m.total, 100 * m.coverage, fromNgrams))
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write vectors in the word2vec C format (text or binary), for gensim and others.",
        discussion: "Example: w2v export vectors.bin --format binary --model novelas")
    @Argument(help: "Output file.") var out: String
    @Option(help: "text or binary.") var format: VectorFormat = .text
    @Option(help: "Model name (default: the most recent).") var model: String?
    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let store = try storeOptions.openForReading()
        let m = try W2VModelStore.load(store: store, name: model)
        try VectorFiles.write(
            path: out, format: format, words: m.embeddings.words, dim: m.config.dim,
            vectors: try W2VModelStore.rawVectors(store: store, model: m))
        print("wrote \(m.embeddings.count) vectors of \(m.config.dim) dimensions to \(out) (\(format.rawValue))")
    }
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read word2vec C-format vectors (text or binary; .vec files; Spark MLlib output).",
        discussion: "Example: w2v import wiki.es.vec --name wiki")
    @Argument(help: "Vector file.") var file: String
    @Option(help: "Model name (default: the file's base name).") var name: String?
    @Option(help: "text or binary (default: detected).") var format: VectorFormat?
    @Option(help: "Word encoding: auto (UTF-8, else Latin-1 word by word, with a note), utf8 or latin1.")
    var encoding: WordEncoding = .auto
    @Option(help: "Read only the first N words (gensim's limit=; files list frequent words first).") var limit: Int?
    @Flag(help: "Replace an existing model of the same name.") var force = false
    @Flag(help: "Skip the nearest-neighbour index of large models (build it later: w2v index NAME).") var noIndex =
        false
    @Flag(help: "The vectors keep letter case (queries are then not case-folded).") var keepCase = false
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be positive") }
    }

    func run() throws {
        let store = try storeOptions.openForWriting()
        let name = self.name ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        try store.checkNameAvailable(name, for: .w2v, replacing: force)
        let started = Date()
        let stop = StopSignals.catchForLongWork()
        do { try importVectors(store: store, name: name, stop: stop, started: started) } catch let i as Interrupted {
            throw StopSignals.report(i, next: StopSignals.startAgain)
        }
    }

    func importVectors(store: Store, name: String, stop: StopRequest, started: Date) throws {
        var (v, notes) = try VectorFiles.read(
            path: file, format: format, encoding: encoding, limit: limit, stop: stop)
        let readSeconds = Date().timeIntervalSince(started)
        if notes.latin1Words > 0 {
            Output.note(
                "w2v: note: \(notes.latin1Words) words of \(file) are not UTF-8 and were read as Latin-1 "
                    + "(ISO-8859-1); --encoding utf8 or latin1 chooses one for the whole file")
        }
        var config = W2VConfig()
        config.dim = v.dim
        config.keepCase = keepCase
        config.epochs = 0
        // Imported files carry no counts: rank order stands in (first word most frequent).
        let counts = (0..<v.words.count).map { v.words.count - $0 }
        let corpus = try CorpusInfo.of(file: file)
        let saving = Date()
        try W2VModelStore.save(
            store: store, name: name, corpus: corpus, config: config,
            words: v.words, counts: counts, vectors: W2VModelStore.wordVectors(normalizing: &v.vectors, dim: v.dim),
            metrics: [], replacing: force, threads: ProcessInfo.processInfo.activeProcessorCount, index: !noIndex,
            stop: stop)
        let indexed = !noIndex && v.words.count > IVFIndex.minimumRows ? ", indexed" : ""
        print(
            String(
                format: "imported %d vectors of %d dimensions as '%@' (read %.1fs, checksum %.1fs, stored%@ %.1fs)",
                v.words.count, v.dim, name, readSeconds, saving.timeIntervalSince(started) - readSeconds, indexed,
                Date().timeIntervalSince(saving)))
    }
}

extension VectorFormat: ExpressibleByArgument {}
extension WordEncoding: ExpressibleByArgument {}
