// `w2v phrases`: learn word2phrase's phrases from text into the store, or list a phrase model's.
import ArgumentParser
import Foundation
import VersoCLI
import VersoStore
import Word2Vec

struct PhrasesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phrases",
        abstract: "Learn phrases (word2phrase): pairs like 'nueva york' that train as one token.",
        discussion: """
            A pair scores (count(ab) − δ) / (count(a) · count(b)) × N, with δ the minimum count and N the
            corpus's words; pairs above the threshold are joined as a_b. Each pass runs on the text the one
            before joined, so a second pass finds trigrams; every pass before the last doubles the threshold
            (word2phrase's demo: 200, then 100). Train on the joined text with w2v train --phrases NAME.
            Examples:
              w2v phrases corpus.txt --name frases
              w2v phrases frases --list -n 20
              w2v train corpus.txt --phrases frases --name con-frases
            """)

    @OptionGroup var corpus: CorpusArguments
    @Option(help: "Model name (default: the file's base name + '-phrases').") var name: String?
    @Option(help: "Passes: 1 finds pairs, 2 also triples.") var passes = PhraseConfig().passes
    @Option(help: "The last pass's score threshold (earlier passes double it).")
    var threshold = PhraseConfig().threshold
    @Option(help: "δ of the score, and the least count of each word of a pair.") var minCount = PhraseConfig().minCount
    @Flag(help: "Keep letter case (default: Unicode case folding, as w2v train).") var keepCase = false
    @Option(help: "Threads for reading (default: all cores).") var threads: Int?
    @Flag(help: "Replace an existing phrase model of the same name.") var force = false
    @Flag(help: "List the phrases of the phrase model named by the argument instead of learning.") var list = false
    @Option(name: .short, help: "With --list: how many phrases.") var n = 30
    @Option(help: "With --list: order by count or score.") var sort: PhraseOrder = .count
    @Flag(help: "With --list: print JSON.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    enum PhraseOrder: String, ExpressibleByArgument, CaseIterable { case count, score }

    var config: PhraseConfig {
        var c = PhraseConfig()
        c.passes = passes
        c.threshold = threshold
        c.minCount = minCount
        c.keepCase = keepCase
        return c
    }

    func validate() throws {
        if list {
            guard corpus.files.count <= 1 else { throw ValidationError("--list takes one phrase model name") }
            guard n >= 1 else { throw ValidationError("-n must be positive") }
            return
        }
        try corpus.requireFiles()
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
        do { try config.validate() } catch { throw ValidationError("\(error)") }
    }

    func run() throws {
        if list { return try listPhrases() }
        let store = try storeOptions.openForWriting()
        let name = self.name ?? corpus.defaultName + "-phrases"
        let tty = Output.stderrIsTTY
        let r = try StopSignals.whileCatching { stop in
            try PhraseModels.learn(
                store: store, name: name, text: try corpus.open(program: "w2v"), config: config, replacing: force,
                threads: threads ?? ProcessInfo.processInfo.activeProcessorCount,
                reading: { done, total in
                    guard tty else { return }
                    Output.progress(String(format: "reading %.0f%%", 100 * Double(done) / Double(max(total, 1))))
                }, stop: stop)
        }
        if tty { Output.progress(nil) }
        let perPass = r.phrasesPerPass.map(String.init).joined(separator: " + ")
        print(
            String(
                format: "learned %@: %d words, %@ phrases in %d pass(es), %.1fs (%.0f words/s per pass; reading %.1fs)",
                name, r.words, perPass, r.phrasesPerPass.count, r.learnSeconds, r.wordsPerSecond, r.readSeconds))
    }

    struct Listed: Encodable {
        let phrase: String
        let count: Int
        let score: Double
        let pass: Int
    }

    struct ListOutput: Encodable {
        let model: String
        let total: Int
        let phrases: [Listed]
    }

    func listPhrases() throws {
        let store = try storeOptions.openForReading()
        let (model, _, table) = try PhraseModels.load(store: store, name: corpus.files.first)
        var rows = table.passes.enumerated().flatMap { pass, phrases in
            phrases.map { Listed(phrase: $0.joined, count: $0.count, score: $0.score, pass: pass + 1) }
        }
        rows.sort { sort == .count ? ($0.count, $0.score) > ($1.count, $1.score) : $0.score > $1.score }
        let top = Array(rows.prefix(n))
        if json { return try Output.json(ListOutput(model: model.name, total: rows.count, phrases: top)) }
        let width = max(6, top.map(\.phrase.count).max() ?? 0)
        print("PHRASE".padding(toLength: width, withPad: " ", startingAt: 0) + "   COUNT      SCORE  PASS")
        for r in top {
            print(
                r.phrase.padding(toLength: width, withPad: " ", startingAt: 0)
                    + String(format: " %7d %10.1f  %4d", r.count, r.score, r.pass))
        }
        print("\(rows.count) phrases in '\(model.name)'")
    }
}
