// `markov train / sample / eval`: the Markov-chain baseline on the command line.
import ArgumentParser
import Evaluation
import Foundation
import Markov
import VersoCLI
import VersoRandom
import VersoStore
import VersoText

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Count a character or word Markov chain of text files.",
        discussion: """
            Examples:
              markov train poetry.txt --order 6
              markov train refranes.txt --unit word --order 2 --name refranes-words
            """)
    @OptionGroup var corpus: CorpusArguments
    @Option(help: "char (grapheme clusters) or word (tokens in ICU sentences).") var unit: MarkovConfig.Unit = .char
    @Option(help: "Context length (default: 6 for char, 2 for word).") var order: Int?
    @Option(help: "Smoothing for probabilities: kn (interpolated modified Kneser-Ney) or wb (Witten-Bell).")
    var smoothing: SmoothingKind = .kneserNey
    @Option(help: "Model name (default: the file's base name).") var name: String?
    @Flag(help: "Replace an existing model of the same name.") var force = false
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        try corpus.requireFiles()
        if let o = order, !(0...32).contains(o) { throw ValidationError("--order must be between 0 and 32") }
    }

    func run() throws {
        let store = try storeOptions.openForWriting()
        let name = self.name ?? corpus.defaultName
        try store.checkNameAvailable(name, for: .markov, replacing: force)
        var config = MarkovConfig()
        config.unit = unit
        config.order = order ?? (unit == .char ? 6 : 2)
        config.smoothing = smoothing
        let text = try MarkovText()
        let start = Date()
        let builder = MarkovModel.Builder(config: config, words: unit == .word)
        let input = try corpus.open(program: "markov")
        let (read, trainingText) = try text.feed(
            input, unit: unit, into: builder, threads: ProcessInfo.processInfo.activeProcessorCount)
        switch unit {
        case .char: guard read > 1 else { throw InputError(input.whyEmpty("\(input.name) is empty: nothing to count")) }
        case .word:
            guard read > 0 else { throw InputError(input.whyEmpty("\(input.name) has no sentences: nothing to count")) }
        }
        let model = builder.finish()
        let seconds = Date().timeIntervalSince(start)
        try MarkovModelStore.save(
            store: store, name: name, corpus: try CorpusInfo(read: input), model: model, trainingText: trainingText,
            replacing: force)
        print(
            String(
                format: "trained %@: %@ order %d, %d symbols, %d contexts, built in %.2fs",
                name, unit.rawValue, config.order, model.symbols.count, model.counts.nodeCount, seconds))
    }
}

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample", abstract: "Generate text from a Markov model.",
        discussion: """
            The sampling options are charnn sample's; --stop applies to character models. Examples:
              markov sample --model poetry --length 300 --seed "The sea" --temp 0.8
              markov sample --model poetry --top-p 0.9 --stop "\\n\\n" --count 3
              markov sample --model refranes-words --sentences 5
            """)
    @Option(help: "Model name (default: the most recent Markov model).") var model: String?
    @Option(help: "Characters to generate (character models).") var length = 500
    @Option(help: "Sentences to generate (word models).") var sentences = 5
    @Option(help: "Text to continue from (printed); - reads standard input.") var seed = ""
    @Option(help: "A file whose text is the seed.") var seedFile: String?
    @Option(help: "Temperature: p ∝ p^(1/T); 0 picks the most likely.") var temp = 1.0
    @OptionGroup var sampling: SamplingArguments
    @Option(help: "Random seed.") var rngSeed: UInt64 = 1
    @Option(help: "Word models: attempts per sentence at passing the originality filter.") var tries = 10
    @Flag(help: "Also print the copied fraction of 20-symbol windows (novelty) on standard error.") var novelty = false
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard temp >= 0, length >= 0, sentences >= 0, tries >= 1 else {
            throw ValidationError("--temp, --length, --sentences must be ≥ 0 and --tries ≥ 1")
        }
        if !seed.isEmpty && seedFile != nil { throw ValidationError("give --seed or --seed-file, not both") }
    }

    func run() throws {
        let store = try storeOptions.openForReading()
        let (record, m) = try MarkovModelStore.load(store: store, name: model)
        let text = try MarkovText()
        let rules = sampling.rules(temperature: Float(temp))
        let count = sampling.count
        let seed =
            try seedFile.map { try CorpusReader.readText(path: $0) }
            ?? (self.seed == "-" ? try CorpusReader.readText(path: "-") : self.seed)
        var generated: [String] = []
        for k in 0..<count {
            var rng = SplitMix64(seed: rngSeed &+ UInt64(k))
            if count > 1 {
                print("\(k == 0 ? "" : "\n")--- sample \(k + 1) of \(count), rng seed \(rngSeed &+ UInt64(k)) ---")
            }
            switch m.config.unit {
            case .char:
                let seedSymbols = try text.characters(of: seed)
                let known = seedSymbols.compactMap { m.id($0) }
                if known.count < seedSymbols.count && k == 0 {
                    Output.note("markov: skipped seed characters the model has never seen")
                }
                print(seed, terminator: "")
                generated += seedSymbols
                var buffer = ""
                m.sampleCharacters(
                    seed: known, length: length, rules: rules, stops: sampling.stops, rng: &rng
                ) { s in
                    buffer += s
                    generated.append(s)
                    if buffer.utf8.count >= 64 {
                        print(buffer, terminator: "")
                        fflush(nil)
                        buffer = ""
                    }
                }
                print(buffer)
            case .word:
                let seedIDs = try text.tokens(of: seed).compactMap { m.id($0) }
                for _ in 0..<sentences {
                    let (sentence, original) = m.sampleOriginalSentence(
                        seed: seedIDs, rules: rules, tries: tries, rng: &rng)
                    if !original {
                        Output.note(
                            "markov: gave up after \(tries) tries: every sentence copied the corpus; printing the last")
                    }
                    let line = m.detokenize(sentence)
                    print(line)
                    generated += Array(line.map(String.init)) + ["\n"]
                }
            }
        }
        if novelty {
            fflush(nil)  // the sample first, then the note
            guard let stored = try MarkovModelStore.trainingText(store: store, record: record) else {
                return Output.note(
                    "markov: the copy check is unavailable: '\(record.name)' was built before Verso kept its training "
                        + "text; train it again")
            }
            let training = m.config.unit == .char ? try text.characters(of: stored) : stored.map(String.init)
            let copied = NoveltyIndex(training: training).copiedFraction(generated)
            Output.note(
                String(format: "novelty: %.1f%% of 20-character windows copied from the training text", 100 * copied))
        }
    }
}

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Held-out cross-entropy of a character Markov model (nats/char, bits/char).",
        discussion: "Example: markov eval held-out.txt --model poetry --smoothing wb --json")
    @OptionGroup var text: CorpusArguments
    @Option(help: "Model name (default: the most recent Markov model).") var model: String?
    @Option(help: "kn or wb (default: the model's).") var smoothing: SmoothingKind?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws { try text.requireFiles() }

    func run() throws {
        let store = try storeOptions.openForReading()
        let (record, m) = try MarkovModelStore.load(store: store, name: model)
        guard m.config.unit == .char else {
            throw InputError("model '\(record.name)' is a word model; eval scores character models")
        }
        if let s = smoothing { m.setSmoothing(s) }
        let input = try text.open(program: "markov")
        let score = m.crossEntropy(
            try MarkovText().characters(of: input, threads: ProcessInfo.processInfo.activeProcessorCount))
        guard score.chars > 0 else { throw InputError("\(input.name) has no text the model can score") }
        let report = EvalReport(
            model: record.name, crossEntropy: score, order: m.config.order,
            smoothing: m.smoother.kind.rawValue)
        if json { return try Output.json(report) }
        print(
            String(
                format: "%@ (order %d, %@): %.4f nats/char, %.4f bits/char over %d chars (%d unknown chars skipped)",
                record.name, m.config.order, m.smoother.kind.rawValue, score.natsPerChar, score.bitsPerChar,
                score.chars, score.unknownChars))
    }
}

extension MarkovConfig.Unit: ExpressibleByArgument {}
extension SmoothingKind: ExpressibleByArgument {}
