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
        abstract: "Write vectors for gensim, fastText and others: word2vec text or binary, GloVe, or a fastText .bin.",
        discussion: """
            --format fasttext writes a .bin that fastText's load_model and gensim's load_facebook_model read;
            a subword model's n-grams go with it, so unknown words keep their vectors there. Examples:
              w2v export vectors.bin --format binary --model novelas
              w2v export novelas.bin --format fasttext --model novelas-ft
            """)
    @Argument(help: "Output file.") var out: String
    @Option(help: "text, binary, glove (text without the header line) or fasttext (.bin).")
    var format: VectorFormat = .text
    @Option(help: "Model name (default: the most recent).") var model: String?
    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let store = try storeOptions.openForReading()
        let m = try W2VModelStore.exportVectors(store: store, name: model, path: out, format: format)
        print("wrote \(m.embeddings.count) vectors of \(m.config.dim) dimensions to \(out) (\(format.rawValue))")
    }
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read vectors: word2vec text or binary (.vec, Spark MLlib), GloVe, or a fastText .bin model.",
        discussion: """
            The format is detected: a fastText .bin by its first bytes (its n-grams come along, so words
            outside the vocabulary get vectors), a GloVe file by its first line having no header. Examples:
              w2v import wiki.es.vec --name wiki
              w2v import cc.es.300.bin --name cc-es
              w2v import glove.6B.300d.txt --keep-case
            """)
    @Argument(help: "Vector file.") var file: String
    @Option(help: "Model name (default: the file's base name).") var name: String?
    @Option(help: "text, binary, glove or fasttext (default: detected).") var format: VectorFormat?
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
        var request = ImportRequest()
        request.format = format
        request.encoding = encoding
        request.limit = limit
        request.keepCase = keepCase
        request.replacing = force
        request.buildsIndex = !noIndex
        request.threads = ProcessInfo.processInfo.activeProcessorCount
        let stop = StopSignals.catchForLongWork()
        let r: ImportSummary
        do {
            r = try W2VModelStore.importVectors(store: store, name: name, path: file, request: request, stop: stop)
        } catch let i as Interrupted {
            throw StopSignals.report(i, next: StopSignals.startAgain)
        }
        if r.latin1Words > 0 {
            Output.note(
                "w2v: note: \(r.latin1Words) words of \(file) are not UTF-8 and were read as Latin-1 "
                    + "(ISO-8859-1); --encoding utf8 or latin1 chooses one for the whole file")
        }
        let ngrams = r.ngramBuckets > 0 ? " and \(r.ngramBuckets) n-gram buckets" : ""
        print(
            String(
                format: "imported %d vectors%@ of %d dimensions as '%@' (read %.1fs, checksum %.1fs, stored%@ %.1fs)",
                r.words, ngrams, r.dim, name, r.readSeconds, r.checksumSeconds, r.indexed ? ", indexed" : "",
                r.storeSeconds))
    }
}

extension VectorFormat: ExpressibleByArgument {}
extension WordEncoding: ExpressibleByArgument {}
