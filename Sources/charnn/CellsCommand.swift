// `charnn cells NAME FILE`: which of a char-RNN's cells track quotes, brackets, line position, words, vowels.
import ArgumentParser
import CharRNN
import Foundation
import Mixture
import VersoCLI
import VersoStore
import VersoText

struct CellsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cells",
        abstract: "Rank a char-RNN's cells by how closely they track features of a text; show gate saturation.",
        discussion: """
            Every cell's c and h is recorded over the text (one stream, from a zero state) and correlated
            with: inside quotes, inside brackets, position in the line, just after a newline, inside a word,
            vowel, line length so far. A mixture's char-RNN is the one analysed.
            Example:
              charnn cells shakespeare held-out.txt --top 3 --json
            """)

    @Argument(help: "Model name.") var name: String
    @OptionGroup var text: CorpusArguments
    @Option(help: "How many cells to list per feature.") var top = CellActivity.defaultTop
    @Option(help: "Checkpoint: best or latest.") var checkpoint: CheckpointLabel = .best
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        try text.requireFiles()
        if top < 1 { throw ValidationError("--top must be at least 1 (it is \(top))") }
    }

    func run() throws {
        let store = try storeOptions.openForReading()
        let model = try CharGenerator.load(store: store, name: name, label: checkpoint).charModel
        let input = try text.open(program: "charnn")
        let symbols = try EncodedSymbols.read(input, threads: ProcessInfo.processInfo.activeProcessorCount)
        let ids = model.vocabulary.encode(symbols).ids
        guard ids.count > 1 else { throw InputError("\(input.name) has no text the model knows") }
        let analysis = CellActivity.analyse(
            network: model.network, ids: ids, symbols: ids.map { model.vocabulary.symbols[Int($0)] }, top: top)
        let report = CellReport(model: model.record.name, analysis: analysis)
        if json { return try Output.json(report) }
        print(report.lines.joined(separator: "\n"))
    }
}
