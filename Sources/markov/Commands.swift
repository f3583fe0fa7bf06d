// `markov train / sample / eval`: the Markov-chain baseline on the command line.
import ArgumentParser
import Evaluation
import Foundation
import Markov
import Sampling
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
        try StopSignals.whileCatching { stop in
            try train(store: store, name: name, config: config, text: text, stop: stop, start: start)
        }
    }

    func train(
        store: Store, name: String, config: MarkovConfig, text: MarkovText, stop: StopRequest, start: Date
    ) throws {
        let builder = MarkovModel.Builder(config: config, words: unit == .word)
        let input = try corpus.open(program: "markov")
        let (read, trainingText) = try text.feed(
            input, unit: unit, into: builder, threads: ProcessInfo.processInfo.activeProcessorCount, stop: stop)
        switch unit {
        case .char: guard read > 1 else { throw InputError(input.whyEmpty("\(input.name) is empty: nothing to count")) }
        case .word:
            guard read > 0 else { throw InputError(input.whyEmpty("\(input.name) has no sentences: nothing to count")) }
        }
        let model = builder.finish()
        try stop.check()
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
    @Option(help: "Sentences to generate (word models).") var sentences = SamplingSettings().sentences
    @Option(help: "Text to continue from (printed); - reads standard input.") var seed = ""
    @Option(help: "A file whose text is the seed.") var seedFile: String?
    @OptionGroup var sampling: SamplingArguments
    @Option(help: "Word models: attempts per sentence at passing the originality filter.")
    var tries = SamplingSettings().tries
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        if !seed.isEmpty && seedFile != nil { throw ValidationError("give --seed or --seed-file, not both") }
        try SamplingArguments.check(try settings())
    }

    func settings() throws -> SamplingSettings {
        var s = try sampling.settings()
        s.sentences = sentences
        s.tries = tries
        return s
    }

    func run() throws {
        let store = try storeOptions.openForReading()
        let (record, m) = try MarkovModelStore.load(store: store, name: model)
        let text = try MarkovText()
        var settings = try settings()
        settings.seed =
            try seedFile.map { try CorpusReader.readText(path: $0) }
            ?? (self.seed == "-" ? try CorpusReader.readText(path: "-") : self.seed)
        let printer = SamplePrinter(settings: settings, quiet: false)
        let samples: [GeneratedSample]
        switch m.config.unit {
        case .char:
            samples = try SampleLoop.run(
                m, settings: settings, pipeline: try CharacterPipeline(), report: printer.report)
            if !(samples.first?.skippedSeedSymbols.isEmpty ?? true) {
                Output.note("markov: skipped seed characters the model has never seen")
            }
        case .word:
            samples = try m.writeSentences(
                settings: settings, text: text,
                gaveUp: {
                    Output.note(
                        "markov: gave up after \(settings.tries) tries: every sentence copied the corpus; "
                            + "printing the last")
                }, report: printer.report)
        }
        guard sampling.novelty else { return }
        guard let stored = try MarkovModelStore.trainingText(store: store, record: record) else {
            return Output.note(
                "markov: the copy check is unavailable: '\(record.name)' was built before Verso kept its training "
                    + "text; train it again")
        }
        let training = m.config.unit == .char ? try text.characters(of: stored) : stored.map(String.init)
        SamplePrinter.noteChecks(samples, against: SampleCheck(training: training))
    }
}

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Held-out cross-entropy of a character Markov model (nats/char, bits/char).",
        discussion: "Example: markov eval held-out.txt --model poetry --smoothing wb --json")
    @OptionGroup var text: CorpusArguments
    @Option(help: "Model name (default: the most recent Markov model).") var model: String?
    @Option(help: "kn or wb (default: the model's).") var smoothing: SmoothingKind?
    @Flag(help: "Each symbol's surprisal in bits and the 5 symbols the model expected there.") var perSymbol = false
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
        let characters = try MarkovText().characters(of: input, threads: ProcessInfo.processInfo.activeProcessorCount)
        if perSymbol {
            let ids = characters.compactMap(m.id)  // unknown symbols skipped, as the cross-entropy skips them
            guard ids.count > 1 else { throw InputError("\(input.name) has no text the model can score") }
            let scores = SymbolScores.score(m, ids: ids)
            return try Output.scores(ScoredText(model: record.name, symbols: scores), json: json)
        }
        let score = m.crossEntropy(characters)
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
