// `charnn eval FILE`: held-out cross-entropy of a char-RNN in nats and bits per character.
import ArgumentParser
import CharRNN
import Evaluation
import Foundation
import VersoCLI
import VersoStore
import VersoText

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Cross-entropy of a char-RNN on text files (nats/char, bits/char).",
        discussion: "Example:\n  charnn eval held-out.txt --model poetry --json")

    @OptionGroup var text: CorpusArguments
    @Option(help: "Model name (default: the most recently trained char-RNN).") var model: String?
    @Option(help: "Checkpoint: best or latest.") var checkpoint: CheckpointLabel = .best
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws { try text.requireFiles() }

    func run() throws {
        let store = try storeOptions.openForReading()
        let loaded = try CharModelStore.load(store: store, name: model, label: checkpoint)
        let input = try text.open(program: "charnn")
        let symbols = try EncodedSymbols.read(input, threads: ProcessInfo.processInfo.activeProcessorCount)
        let encoded = loaded.vocabulary.encode(symbols)
        guard encoded.ids.count > 1 else { throw InputError("\(input.name) has no text the model can score") }
        let ce = Evaluator.crossEntropy(
            network: loaded.network, ids: encoded.ids,
            steps: loaded.config.seqLength, batch: loaded.config.batchSize)
        var score = ce
        score.unknownChars = encoded.unknown.count
        if json { return try Output.json(EvalReport(model: loaded.record.name, crossEntropy: score)) }
        print(
            String(
                format: "%@: %.4f nats/char, %.4f bits/char over %d chars (%d unknown chars skipped)",
                loaded.record.name, score.natsPerChar, score.bitsPerChar, score.chars, score.unknownChars))
    }
}
