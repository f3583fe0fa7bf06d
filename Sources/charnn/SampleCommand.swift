// `charnn sample`: text from a trained char-RNN, at one or more temperatures, from a seed.
import ArgumentParser
import CharRNN
import Evaluation
import Foundation
import Mixture
import Sampling
import VersoCLI
import VersoRandom
import VersoStore
import VersoText

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample", abstract: "Generate text from a trained char-RNN.",
        discussion: """
            The seed is `--seed TEXT` (printed, then continued), `--seed -` (standard
            input) or `--seed-file F`. `--seed` with no text pre-seeds the network with
            an excerpt of the model's own training text (fed in, not printed) and starts
            at a line start. `--stop` understands \\n and \\t. Examples:
              charnn sample --temp 0.6 --seed "The sea"
              charnn sample --temp 0.6 --seed
              charnn sample --top-p 0.9 --stop "\\n\\n" --count 3 --seed "The night"
              charnn sample --model poetry --temps 0.2,0.5,0.8,1.0 --seed "Love"
              charnn sample --preseed-file poems.txt --seed "Night" --top-k 5 --argmax
              charnn sample --beam 8 --length 80 --seed "The sea"
              charnn sample --model poetry-mix --temp 0.8 --novelty
            """)

    @Option(help: "Model name: a char-RNN or a mixture (default: the most recently trained char-RNN).")
    var model: String?
    @Flag(help: "Always pick the most likely symbol (same as --temp 0).") var argmax = false
    @OptionGroup var sampling: SamplingArguments
    @Flag(name: .customLong("seed"), help: "Start from TEXT (printed); alone, pre-seed from the training text.")
    var seedFlag = false
    @Argument(help: "The seed text, after --seed (- reads standard input).") var seedText: String?
    @Option(help: "A file whose text is the seed (printed, then continued).") var seedFile: String?
    @Option(help: "Conditioning text fed in first (not printed).") var preseed = ""
    @Option(help: "A file whose text is fed in first (not printed).") var preseedFile: String?
    @Option(help: "Checkpoint: best (lowest validation loss) or latest.") var checkpoint: CheckpointLabel = .best
    @Flag(help: "Print JSON (model, step, temperature, seed, text) instead of streaming text.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        if seedText != nil && seedFile != nil { throw ValidationError("give --seed TEXT or --seed-file, not both") }
        try SamplingArguments.check(try settings())
    }

    /// The options as the library's settings (seed texts read in `run`).
    func settings() throws -> SamplingSettings {
        var s = try sampling.settings()
        if argmax { s.temperatures = [0] }
        s.preseed = preseed
        return s
    }

    struct Result: Encodable {
        let model: String
        let step: Int
        let temperature: Double
        let rngSeed: UInt64
        let seed: String
        let text: String
        let stoppedBy: String?
        let logProbability: Double?  // beam search
        var copied: Double? = nil  // --novelty
        var realWords: Double? = nil

        enum CodingKeys: String, CodingKey {
            case model, step, temperature, seed, text, copied
            case rngSeed = "rng_seed", stoppedBy = "stopped_by", logProbability = "log_probability"
            case realWords = "real_words"
        }
    }

    func run() throws {
        let store = try storeOptions.openForReading()
        let loaded = try CharGenerator.load(store: store, name: model, label: checkpoint)
        var settings = try settings()
        settings.seed = try seedFile.map { try CharRNN.readText($0) } ?? seedText.map(SampleCommand.readSeed) ?? ""
        if let f = preseedFile { settings.preseed = try CharRNN.readText(f) + preseed }
        let unavailable = "'\(loaded.name)' was trained before Verso kept its training text; train it again"
        if seedFlag && seedText == nil && seedFile == nil && settings.preseed.isEmpty {
            var rng = SplitMix64(seed: settings.rngSeed ^ 0x5EED)
            if let excerpt = loaded.trainingText.flatMap({
                TextSampler.trainingExcerpt($0, length: loaded.charModel.config.seqLength, rng: &rng)
            }) {
                settings.preseed = excerpt
            } else {
                Output.note(
                    "charnn: no excerpt of the training text to pre-seed with: \(unavailable); starting from a newline")
            }
        }
        let pipeline = try CharacterPipeline()
        let printer = SamplePrinter(settings: settings, quiet: json)
        let samples = try loaded.sample(settings, pipeline: pipeline, report: printer.report)
        if let skipped = samples.first?.skippedSeedSymbols, !skipped.isEmpty {
            Output.note(
                "charnn: skipped seed symbols the model has never seen: "
                    + Set(skipped).sorted().map { "'\($0)'" }.joined(separator: " "))
        }
        if let width = settings.beamWidth, let best = samples.first, !json {
            let perSymbol = (best.logProbability ?? 0) / Double(max(best.generated, 1))
            Output.note(
                String(
                    format: "charnn: beam %d: ln P = %.4f over %d symbols (%.4f nats/symbol)", width,
                    best.logProbability ?? 0, best.generated, -perSymbol))
        }
        var check: SampleCheck?
        if sampling.novelty {
            if let text = loaded.trainingText {
                check = SampleCheck(training: try pipeline.symbols(of: text))
            } else {
                Output.note("charnn: the copy check is unavailable: \(unavailable)")
            }
        }
        if json {
            let results = samples.map { s in
                var r = Result(
                    model: loaded.name, step: loaded.step, temperature: s.temperature, rngSeed: s.rngSeed,
                    seed: settings.seed, text: s.text, stoppedBy: s.stoppedBy, logProbability: s.logProbability)
                if let f = check?.check(s.symbols) {
                    r.copied = f.copied
                    r.realWords = f.realWords
                }
                return r
            }
            try results.count == 1 ? Output.json(results[0]) : Output.json(results)
        } else if let check {
            SamplePrinter.noteChecks(samples, against: check)
        }
    }

    /// `--seed -` is standard input, read whole (its lines joined by "\n", as a seed file is read).
    static func readSeed(_ text: String) throws -> String {
        guard text == "-" else { return text }
        return try CharRNN.readText("-")
    }
}
