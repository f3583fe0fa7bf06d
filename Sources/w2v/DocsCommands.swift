// `w2v docs train / similar / infer / words`: document vectors (PV-DBOW or SIF), kept and queried in the store.
import ArgumentParser
import Foundation
import VersoCLI
import VersoStore
import VersoText
import Word2Vec

struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs", abstract: "Document vectors: train them, find similar documents, infer a text's vector.",
        discussion: """
            Examples:
              w2v docs train cuentos/ --name cuentos --unit paragraph
              w2v docs similar cuentos 120
              w2v docs similar cuentos --file parrafo.txt
              w2v docs words cuentos 120
              w2v docs train cuentos/ --name cuentos-sif --method sif --from cuentos-words
            """,
        subcommands: [
            DocsTrain.self, DocsSimilar.self, DocsInfer.self, DocsWords.self, ModelsCommand<DocumentKind>.self,
        ])
}

struct DocsTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Make a vector for every document of the text.",
        discussion: """
            dbow trains paragraph vectors (PV-DBOW, Le & Mikolov 2014) with skip-gram word vectors alongside
            (gensim's dbow_words=1); sif averages a word2vec model's vectors with weights a/(a + p(w)) and
            removes the documents' first principal component (Arora, Liang & Ma 2017). A document is a file,
            a paragraph (up to a blank line) or a line.
            """)

    @OptionGroup var corpus: CorpusArguments
    @Option(help: "Model name.") var name: String
    @Option(help: "dbow or sif.") var method: DocConfig.Method = .dbow
    @Option(help: "What one document is: file, paragraph or line.") var unit: DocumentUnit = .paragraph
    @Option(help: "sif: the word2vec model whose vectors are averaged.") var from: String?
    @Option(help: "sif: the weight a of a/(a + p(w)).") var sifA = 1e-3
    @Option(help: "dbow: vector dimension.") var dim = 100
    @Option(help: "dbow: maximum context distance of the word vectors.") var window = 5
    @Option(help: "dbow: negative samples per word.") var negative = 5
    @Option(help: "dbow: drop words seen fewer times.") var minCount = 5
    @Option(help: "dbow: subsampling threshold for frequent words (0: off).") var sample = 1e-3
    @Option(help: "dbow: passes over the documents (also the passes of inference).") var epochs = 10
    @Option(help: "dbow: starting learning rate.") var alpha: Float = 0.025
    @Option(
        help: ArgumentHelp(
            "dbow: threads, each training a replica merged every round.",
            discussion: "On the CLiGS author benchmark 2 threads ran no faster than 1 on 2 cores and found "
                + "fewer same-author neighbours (0.70 against 0.77), so one is the default."))
    var threads = 1
    @Option(help: "Random seed (with the same --threads: bit-identical vectors).") var rngSeed: UInt64 = 1
    @Flag(help: "dbow: keep letter case (default: Unicode case folding).") var keepCase = false
    @Flag(help: "Replace an existing document model of the same name.") var force = false
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        try corpus.requireFiles()
        guard dim > 0, window > 0, epochs > 0, minCount >= 1, negative > 0 else {
            throw ValidationError("--dim, --window, --epochs, --negative and --min-count must be positive")
        }
        guard sample >= 0, sifA > 0, alpha > 0 else { throw ValidationError("--sample ≥ 0, --sif-a and --alpha > 0") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if method == .sif && from == nil { throw ValidationError("--method sif needs --from MODEL (a word2vec model)") }
        if method == .dbow && from != nil { throw ValidationError("--from goes with --method sif") }
    }

    func run() throws {
        let store = try storeOptions.openForWriting()
        var config = DocConfig()
        config.method = method
        config.unit = unit
        config.source = from
        config.sifA = sifA
        config.dim = dim
        config.window = window
        config.negative = negative
        config.minCount = minCount
        config.sample = sample
        config.epochs = epochs
        config.alpha = alpha
        config.threads = threads
        config.rngSeed = rngSeed
        config.keepCase = keepCase
        let tty = Output.stderrIsTTY
        let run = try StopSignals.whileCatching { stop in
            try DocTraining.run(
                store: store, name: name, text: try corpus.open(program: "w2v"), config: config, replacing: force,
                training: { fraction, rate, alpha in
                    guard tty else { return }
                    Output.progress(
                        String(format: "training %5.1f%%  %.0f words/s  alpha %.5f", 100 * fraction, rate, alpha))
                }, stop: stop)
        }
        if tty { Output.progress(nil) }
        if run.leftOutCount > 0 {
            let first = run.leftOut.map { "\($0.path)@\($0.offset)" }.joined(separator: ", ")
            Output.note(
                "w2v: left out \(run.leftOutCount) document(s) with no word of the vocabulary: \(first)"
                    + (run.leftOutCount > run.leftOut.count ? ", …" : ""))
        }
        print(
            String(
                format: "made %@ (%@): %d documents, %d words, vocabulary %d in %.1fs (%.0f words/s)", name,
                method.rawValue, run.documents, run.words, run.vocabularySize, run.seconds, run.wordsPerSecond))
    }
}

/// What names the query text: a document of the model, or a file read whole.
struct DocumentQuery: ParsableArguments {
    @Argument(help: "The model.") var model: String
    @Argument(help: "A document: its id, or the path of a file that made one document.") var document: String?
    @Option(help: "An unseen text, read whole (- for standard input).") var file: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        if (document == nil) == (file == nil) { throw ValidationError("name a DOCUMENT or give --file F, not both") }
    }

    /// The text of --file, one line naming the file when it cannot be read.
    func text() throws -> (text: String, label: String) {
        let path = file!
        return (try CorpusReader.readText(path: path), path == "-" ? "standard input" : path)
    }
}

struct DocsSimilar: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar", abstract: "Documents nearest a document of the model, or an unseen text (cosine).")
    @OptionGroup var query: DocumentQuery
    @Option(name: .shortAndLong, help: "How many documents.") var n = 10
    @Flag(help: "Scan every document instead of using the model's nearest-neighbour index.") var exact = false

    func validate() throws {
        guard n > 0 else { throw ValidationError("-n must be positive") }
    }

    func run() throws {
        let store = try query.storeOptions.openForReading()
        let warn: (String) -> Void = { Output.note("w2v: warning: " + $0) }
        let answer: DocumentAnswer
        if let document = query.document {
            let matches = try DocQueries.similar(
                store: store, name: query.model, document: document, n: n, exact: exact, warn: warn
            ).matches
            answer = DocumentAnswer(model: query.model, documents: matches)
        } else {
            let (text, label) = try query.text()
            answer = try DocQueries.similar(
                store: store, name: query.model, text: text, label: label, n: n, exact: exact, warn: warn)
        }
        if query.json { return try Output.json(answer) }
        noteOutOfVocabulary(answer.outOfVocabulary, model: query.model)
        let rows = answer.documents.map { m in
            [String(m.id), Output.decimal(Double(m.score), places: 4), "\(m.path)@\(m.offset)", m.preview]
        }
        print(Output.table(headers: ["id", "cosine", "source", "text"], rows: rows, rightAligned: [0, 1]))
    }
}

struct DocsInfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer", abstract: "The vector of an unseen text (the same text gives the same vector).")
    @Argument(help: "The model.") var model: String
    @Option(help: "The text (- for standard input).") var file: String
    @Option(help: "Cut the text into units (file, paragraph, line) and print a vector for each.")
    var unit: DocumentUnit?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let store = try storeOptions.openForReading()
        let label = file == "-" ? "standard input" : file
        let text = try CorpusReader.readText(path: file)
        let utf8 = Array(text.utf8)
        let texts =
            unit.map { unit in
                unit.split(text).map { piece in
                    (
                        String(decoding: utf8[piece.offset..<piece.offset + piece.length], as: UTF8.self),
                        "\(label)@\(piece.offset)"
                    )
                }
            } ?? [(text, label)]
        guard !texts.isEmpty else { throw TextError("\(label) has no text") }
        let inferred = try DocQueries.infer(store: store, name: model, texts: texts)
        if json { return try unit == nil ? Output.json(inferred[0]) : Output.json(inferred) }
        noteOutOfVocabulary(Array(Set(inferred.flatMap { $0.outOfVocabulary ?? [] })).sorted(), model: model)
        for v in inferred { print(v.vector.map { String($0) }.joined(separator: " ")) }
    }
}

struct DocsWords: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "words", abstract: "The words nearest a document: what it is about.")
    @Argument(help: "The model.") var model: String
    @Argument(help: "A document: its id, or the path of a file that made one document.") var document: String
    @Option(name: .shortAndLong, help: "How many words.") var n = 10
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard n > 0 else { throw ValidationError("-n must be positive") }
    }

    func run() throws {
        let store = try storeOptions.openForReading()
        let words = try DocQueries.words(store: store, name: model, document: document, n: n)
        if json { return try Output.json(words) }
        let rows = words.map { [$0.word, Output.decimal(Double($0.score), places: 4)] }
        print(Output.table(headers: ["word", "cosine"], rows: rows, rightAligned: [1]))
    }
}

extension DocConfig.Method: ExpressibleByArgument {}
extension DocumentUnit: ExpressibleByArgument {}
