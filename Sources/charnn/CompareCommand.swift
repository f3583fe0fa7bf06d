// `charnn compare FILE`: char-RNN against character Markov chains of orders 1…10 on held-out text.
import ArgumentParser
import CharRNN
import Evaluation
import Foundation
import Markov
import VersoCLI
import VersoNN
import VersoRandom
import VersoStore
import VersoText

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Held-out bits/char, generation speed and novelty: char-RNN vs Markov chains.",
        discussion: """
            Holds out the last 10% of the text as `charnn train` does (the --model's own fraction if it
            differs), builds character Markov models of orders 1…10 on the first 90%, takes a char-RNN
            (--model, or trains one for --time-limit), and reports for each: held-out bits/char,
            sampling speed, and novelty, the share of 20-character windows of
            20,000 generated characters (at temperatures 1.0 and 0.6) found verbatim in the training text.
            Example:
              charnn compare corpora/poetry.txt --time-limit 5m
            """)

    @OptionGroup var text: CorpusArguments
    @Option(help: "A trained char-RNN (default: train one on FILE for --time-limit).") var model: String?
    @Option(help: "Training time when no --model is given.") var timeLimit = "5m"
    @Option(help: "Highest Markov order.") var maxOrder = 10
    @Option(help: "Characters generated per model and temperature.") var length = 20_000
    @Option(help: "Random seed.") var rngSeed: UInt64 = 1
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    struct Row: Encodable {
        let model: String, bitsPerChar: Double?, charsPerSecond: Double?, copiedAt1: Double, copiedAt06: Double?
        enum CodingKeys: String, CodingKey {
            case model, bitsPerChar = "bits_per_char", charsPerSecond = "chars_per_s"
            case copiedAt1 = "copied_t1_0", copiedAt06 = "copied_t0_6"
        }
    }

    func validate() throws {
        try text.requireFiles()
        if text.files.contains("-") && model == nil {
            throw ValidationError("compare reads its text twice (to train and to test): give files, not -")
        }
        guard parseDuration(timeLimit) != nil else {
            throw ValidationError("--time-limit '\(timeLimit)' is not a duration like 90s or 5m")
        }
        guard (1...32).contains(maxOrder), length >= 20 else {
            throw ValidationError("--max-order is 1…32 and --length at least 20")
        }
    }

    func run() throws {
        let store = try storeOptions.openForWriting()
        let pipeline = try CharacterPipeline()
        let input = try text.open(program: "charnn", hashing: false)
        let symbols = try EncodedSymbols.read(input, threads: ProcessInfo.processInfo.activeProcessorCount).strings
        guard symbols.count > 100 else { throw InputError("\(input.name) is too short to compare models on") }
        // The char-RNN's own held-out fraction (0.1 unless it was trained otherwise), for both kinds.
        let fraction = try model.map { try CharModelStore.load(store: store, name: $0).config.valFrac } ?? 0.1
        let (train, held) = HeldOut.split(symbols, fraction: fraction)
        let novelty = NoveltyIndex(training: train)
        var rows = [
            Row(
                model: "held-out text (reference)", bitsPerChar: nil, charsPerSecond: nil,
                copiedAt1: novelty.copiedFraction(held), copiedAt06: nil)
        ]

        // Markov chains, Kneser-Ney smoothed, built in memory on the same training split.
        for order in 1...maxOrder {
            var config = MarkovConfig()
            config.order = order
            let m = MarkovModel.buildCharacters(train, config: config)
            let bits = m.crossEntropy(held).natsPerChar / log(2)
            var copied: [Double] = [], rate = 0.0
            for t in [1.0, 0.6] {
                var rng = SplitMix64(seed: rngSeed)
                var out: [String] = []
                out.reserveCapacity(length)
                let start = Date()
                m.sampleCharacters(seed: [], length: length, rules: SamplingRules(temperature: Float(t)), rng: &rng) {
                    out.append($0)
                }
                if t == 1 { rate = Double(length) / Date().timeIntervalSince(start) }
                copied.append(novelty.copiedFraction(out))
            }
            rows.append(
                Row(
                    model: "markov order \(order)", bitsPerChar: bits, charsPerSecond: rate,
                    copiedAt1: copied[0], copiedAt06: copied[1]))
        }

        // The char-RNN.
        let name = try model ?? trainModel(store: store)
        let loaded = try CharModelStore.load(store: store, name: name)
        let shape = loaded.config.network
        let ids = loaded.vocabulary.encode(held).ids
        let ce = Evaluator.crossEntropy(
            network: loaded.network, ids: ids, steps: loaded.config.seqLength, batch: loaded.config.batchSize)
        var copied: [Double] = [], rate = 0.0
        for t: Float in [1.0, 0.6] {
            var options = SampleOptions()
            options.length = length
            options.temperature = t
            options.rngSeed = rngSeed
            var out: [String] = []
            let start = Date()
            _ = try TextSampler.sample(loaded, options: options, pipeline: pipeline) { out.append($0) }
            if t == 1 { rate = Double(length) / Date().timeIntervalSince(start) }
            copied.append(novelty.copiedFraction(out))
        }
        rows.append(
            Row(
                model: "char-RNN \(name) (\(shape.layers)×\(shape.hidden) \(shape.cell.rawValue))",
                bitsPerChar: ce.bitsPerChar, charsPerSecond: rate, copiedAt1: copied[0], copiedAt06: copied[1]))

        // Kept with the char-RNN so `charnn report` can show the table.
        let encoder = JSONEncoder()
        let table = Array(try encoder.encode(rows))
        try store.saveArtifact(Blob(name: "compare.json", dtype: "application/json", bytes: table), for: loaded.record)
        if json { return try Output.json(rows) }
        func pct(_ x: Double?) -> String { x.map { String(format: "%.1f%%", 100 * $0) } ?? "-" }
        print(
            Output.table(
                headers: ["MODEL", "HELD-OUT BITS/CHAR", "CHARS/S", "COPIED T=1.0", "COPIED T=0.6"],
                rows: rows.map { r in
                    [
                        r.model, r.bitsPerChar.map { String(format: "%.3f", $0) } ?? "-",
                        r.charsPerSecond.map { String(format: "%.0f", $0) } ?? "-", pct(r.copiedAt1), pct(r.copiedAt06),
                    ]
                }, rightAligned: [1, 2, 3, 4]))
        print(
            "copied: share of 20-character windows of \(length) generated characters found verbatim in the "
                + "training text")
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
        try trainer.run(timeLimit: parseDuration(timeLimit))
        return name
    }
}
