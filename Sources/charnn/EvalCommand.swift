// `charnn eval FILE`: held-out cross-entropy of a char-RNN in nats and bits per character.
import ArgumentParser
import CharRNN
import Evaluation
import Foundation
import Mixture
import Sampling
import VersoCLI
import VersoStore
import VersoText

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Cross-entropy of a char-RNN or mixture on text files (nats/char, bits/char).",
        discussion: "Example:\n  charnn eval held-out.txt --model poetry --json")

    @OptionGroup var text: CorpusArguments
    @Option(help: "Model name (default: the most recently trained char-RNN).") var model: String?
    @Option(help: "Checkpoint: best or latest.") var checkpoint: CheckpointLabel = .best
    @Flag(help: "Each symbol's surprisal in bits and the 5 symbols the model expected there (one stream).")
    var perSymbol = false
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws { try text.requireFiles() }

    func run() throws {
        let store = try storeOptions.openForReading()
        let loaded = try CharGenerator.load(store: store, name: model, label: checkpoint)
        let input = try text.open(program: "charnn")
        let symbols = try EncodedSymbols.read(input, threads: ProcessInfo.processInfo.activeProcessorCount)
        let encoded = loaded.charModel.vocabulary.encode(symbols)
        guard encoded.ids.count > 1 else { throw InputError("\(input.name) has no text the model can score") }
        if perSymbol {
            let scores = SymbolScores.score(loaded.generator, ids: encoded.ids)
            return try Output.scores(ScoredText(model: loaded.name, symbols: scores), json: json)
        }
        var report: EvalReport
        switch loaded.model {
        case .charRNN(let m):
            let ce = Evaluator.crossEntropy(
                network: m.network, ids: encoded.ids, steps: m.config.seqLength, batch: m.config.batchSize)
            report = EvalReport(model: loaded.name, crossEntropy: ce)
        case .mixture(let m):
            // One pass in text order; the weights go on learning, each symbol predicted first.
            let score = m.score(encoded.ids).score
            report = EvalReport(model: loaded.name, crossEntropy: score.mixture)
            report.parts = [("lstm", score.lstm), ("markov", score.markov)]
        }
        var score = report.crossEntropy
        score.unknownChars = encoded.unknown.count
        let parts = report.parts
        report = EvalReport(model: loaded.name, crossEntropy: score)
        report.parts = parts
        if json { return try Output.json(report) }
        print(
            String(
                format: "%@: %.4f nats/char, %.4f bits/char over %d chars (%d unknown chars skipped)",
                loaded.name, score.natsPerChar, score.bitsPerChar, score.chars, score.unknownChars))
        for part in parts {
            print(
                String(
                    format: "  its %@ part alone: %.4f nats/char, %.4f bits/char",
                    part.name == "lstm" ? "char-RNN" : "Markov",
                    part.crossEntropy.natsPerChar, part.crossEntropy.bitsPerChar))
        }
    }
}
