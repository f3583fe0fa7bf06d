// `charnn compare FILE`: char-RNN against character Markov chains of orders 1…10 on held-out text.
import ArgumentParser
import CharRNN
import Evaluation
import Foundation
import Markov
import Mixture
import VersoNN
import VersoCLI
import VersoStore
import VersoText

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Held-out bits/char, generation speed, copying and real words: char-RNNs, mixtures, Markov chains.",
        discussion: """
            Holds out the last 10% of the text as `charnn train` does (the --model's own fraction if it
            differs), builds character Markov models of orders 1…10 on the first 90%, takes a char-RNN
            (--model, or trains one for --time-limit), and reports for each: held-out bits/char,
            sampling speed, novelty (the share of 20-character windows of 20,000 generated characters
            found verbatim in the training text) and real words (the share of their words found in it),
            at temperatures 1.0, 0.8 and 0.6. --test scores on another file. Examples:
              charnn compare corpora/poetry.txt --time-limit 5m
              charnn compare train.txt --test test.txt --model poetry --model poetry-mix --smoothing kn --smoothing wb
            """)

    @OptionGroup var text: CorpusArguments
    @Option(
        help: "A trained char-RNN or mixture (repeatable; default: train a char-RNN on FILE for --time-limit).")
    var model: [String] = []
    @Option(help: "Score on this file instead, and build the chains on all of FILE.") var test: String?
    @Option(help: "Training time when no --model is given.") var timeLimit = "5m"
    @Option(help: "Highest Markov order.") var maxOrder = Comparison().maxOrder
    @Option(help: "Markov smoothing: kn or wb (repeatable).") var smoothing: [SmoothingKind] = []
    @Option(help: "Characters generated per model and temperature.") var length = Comparison().length
    @Option(help: "Random seed.") var rngSeed: UInt64 = 1
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    var comparison: Comparison {
        var c = Comparison()
        c.maxOrder = maxOrder
        c.length = length
        c.rngSeed = rngSeed
        c.smoothings = smoothing.isEmpty ? c.smoothings : smoothing
        c.freshMixtureWeights = test == nil
        return c
    }

    func validate() throws {
        try text.requireFiles()
        if text.files.contains("-") && model.isEmpty && test == nil {
            throw ValidationError("compare reads its text twice (to train and to test): give files, not -")
        }
        guard let seconds = parseDuration(timeLimit) else {
            throw ValidationError("--time-limit '\(timeLimit)' is not a duration like 90s or 5m")
        }
        guard seconds > 0 else { throw ValidationError("--time-limit must be longer than 0s") }
        do { try comparison.validate() } catch { throw InputError("\(error)") }
    }

    func run() throws {
        let store = try storeOptions.openForWriting()
        let pipeline = try CharacterPipeline()
        let threads = ProcessInfo.processInfo.activeProcessorCount
        let input = try text.open(program: "charnn", hashing: false)
        let symbols = try EncodedSymbols.read(input, threads: threads).strings
        guard symbols.count > 100 else { throw InputError("\(input.name) is too short to compare models on") }
        let names = model.isEmpty ? [try trainModel(store: store)] : model
        let models = try names.map { try CharGenerator.load(store: store, name: $0) }
        // The first char-RNN's own held-out fraction (0.1 unless it was trained otherwise), for every kind.
        let split: (train: [String], heldOut: [String])
        if let test {
            split = (symbols, try EncodedSymbols.read(path: test, threads: threads).strings)
        } else {
            split = HeldOut.split(symbols, fraction: models.first?.charModel.config.valFrac ?? 0.1)
        }
        let rows = try comparison.run(
            training: split.train, heldOut: split.heldOut, models: models, pipeline: pipeline
        ) { if !json { Output.progress("charnn: compare: \($0)") } }
        // Kept with the first model so `charnn report` can show the table.
        if let first = models.first {
            let record = try store.read { try $0.model(named: first.name, kind: first.kind) }
            let table = Array(try JSONEncoder().encode(rows))
            try store.saveArtifact(Blob(name: "compare.json", dtype: "application/json", bytes: table), for: record)
        }
        if json { return try Output.json(rows) }
        func pct(_ x: Double?) -> String { x.map { String(format: "%.1f%%", 100 * $0) } ?? "-" }
        // The reference row has one figure of each: the held-out text's own.
        func cells(_ xs: [Double?]) -> [String] {
            Comparison.temperatures.indices.map { pct($0 < xs.count ? xs[$0] : nil) }
        }
        let temps = Comparison.temperatures.map { String(format: "%.1f", $0) }
        print(
            Output.table(
                headers: ["MODEL", "HELD-OUT BITS/CHAR", "CHARS/S"] + temps.map { "COPIED T=\($0)" }
                    + temps.map { "WORDS T=\($0)" },
                rows: rows.map { r in
                    [
                        r.model, r.bitsPerChar.map { String(format: "%.3f", $0) } ?? "-",
                        r.charsPerSecond.map { String(format: "%.0f", $0) } ?? "-",
                    ] + cells(r.copied) + cells(r.realWords)
                }, rightAligned: Set(1...(2 + 2 * temps.count))))
        print(
            "copied: share of 20-character windows of \(length) generated characters found verbatim in the "
                + "training text; words: share of their words (letter runs) found in it")
    }

    /// Trains a default char-RNN on FILE for --time-limit (named after the file), as `charnn train` would.
    func trainModel(store: Store) throws -> String {
        let name = text.defaultName + "-compare"
        var config = TrainConfig(network: NetworkConfig(vocabSize: 0))
        config.evalEvery = 200
        config.rngSeed = rngSeed
        config.threads = ProcessInfo.processInfo.activeProcessorCount
        let trainer = try TrainingSetup.newModel(
            store: store, corpus: try text.open(program: "charnn"), name: name, config: config, replacing: true)
        Output.note("charnn: training \(name) for \(timeLimit)")
        trainer.stopRequest = StopSignals.catchForLongWork()
        do { try trainer.run(timeLimit: parseDuration(timeLimit)) } catch let interrupted as Interrupted {
            throw StopSignals.report(interrupted, next: StopSignals.startAgain)
        }
        return name
    }
}

extension SmoothingKind: ExpressibleByArgument {}
