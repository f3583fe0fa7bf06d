// `charnn sample`: text from a trained char-RNN, at one or more temperatures, from a seed.
import ArgumentParser
import CharRNN
import Evaluation
import Foundation
import VersoCLI
import VersoNN
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
            """)

    @Option(help: "Model name (default: the most recently trained char-RNN).") var model: String?
    @Option(help: "Temperature T > 0: p ∝ exp(logit/T); 0 means greedy.") var temp: Float = 0.6
    @Option(help: "Several temperatures, one sample each from the same seed (e.g. 0.2,0.5,0.8,1.0).") var temps: String?
    @Flag(help: "Always pick the most likely symbol (same as --temp 0).") var argmax = false
    @OptionGroup var sampling: SamplingArguments
    @Option(help: "Beam search of width W: the most likely continuation of --length symbols, deterministic.")
    var beam: Int?
    @Flag(name: .customLong("seed"), help: "Start from TEXT (printed); alone, pre-seed from the training text.")
    var seedFlag = false
    @Argument(help: "The seed text, after --seed (- reads standard input).") var seedText: String?
    @Option(help: "A file whose text is the seed (printed, then continued).") var seedFile: String?
    @Option(help: "Conditioning text fed in first (not printed).") var preseed = ""
    @Option(help: "A file whose text is fed in first (not printed).") var preseedFile: String?
    @Option(help: "Symbols to generate after the seed.") var length = 500
    @Option(help: "Random seed for sampling (same seed, same text).") var rngSeed: UInt64 = 1
    @Option(help: "Checkpoint: best (lowest validation loss) or latest.") var checkpoint: CheckpointLabel = .best
    @Flag(help: "Print JSON (model, step, temperature, seed, text) instead of streaming text.") var json = false
    @Flag(help: "Also print the copied fraction of 20-character windows (novelty) on standard error.") var novelty =
        false
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard temp >= 0, temp.isFinite else { throw ValidationError("--temp must be ≥ 0") }
        guard length >= 0 else { throw ValidationError("--length must be ≥ 0") }
        if let w = beam, !(1...1000).contains(w) { throw ValidationError("--beam must be between 1 and 1000") }
        if seedText != nil && seedFile != nil { throw ValidationError("give --seed TEXT or --seed-file, not both") }
        if beam != nil && (sampling.count > 1 || temps != nil || !sampling.stop.isEmpty) {
            throw ValidationError("--beam gives one deterministic text: it takes no --count, --temps or --stop")
        }
        if let t = temps, parseTemps(t) == nil {
            throw ValidationError("--temps '\(t)' is not a comma-separated list of temperatures ≥ 0")
        }
    }

    struct Result: Encodable {
        let model: String
        let step: Int
        let temperature: Float
        let rngSeed: UInt64
        let seed: String
        let text: String
        let stoppedBy: String?
        let logProbability: Double?  // beam search

        enum CodingKeys: String, CodingKey {
            case model, step, temperature, seed, text
            case rngSeed = "rng_seed", stoppedBy = "stopped_by", logProbability = "log_probability"
        }
    }

    func run() throws {
        let store = try storeOptions.openForReading()
        let loaded = try CharModelStore.load(store: store, name: model, label: checkpoint)
        var options = SampleOptions()
        options.length = length
        options.topK = sampling.topK
        options.topP = sampling.topP
        options.repetitionPenalty = sampling.repetitionPenalty
        options.repetitionWindow = sampling.repetitionWindow
        options.stops = sampling.stops
        options.seed = try seedFile.map { try CharRNN.readText($0) } ?? seedText.map(SampleCommand.readSeed) ?? ""
        options.preseed = preseed
        if let f = preseedFile { options.preseed = try CharRNN.readText(f) + preseed }
        // The training text as the store keeps it (nil for a model trained before Verso kept it).
        let training = seedFlag || novelty ? try CharModelStore.trainingText(store: store, model: loaded) : nil
        let unavailable = "'\(loaded.record.name)' was trained before Verso kept its training text; train it again"
        if seedFlag && seedText == nil && seedFile == nil && options.preseed.isEmpty {
            var rng = SplitMix64(seed: rngSeed ^ 0x5EED)
            if let excerpt = training.flatMap({
                TextSampler.trainingExcerpt($0, length: loaded.config.seqLength, rng: &rng)
            }) {
                options.preseed = excerpt
            } else {
                Output.note(
                    "charnn: no excerpt of the training text to pre-seed with: \(unavailable); starting from a newline")
            }
        }
        let pipeline = try CharacterPipeline()
        let results =
            try beam.map { try [beamSearch(loaded, width: $0, options: options, pipeline: pipeline)] }
            ?? sampleAll(loaded, options: options, pipeline: pipeline)
        if json { try results.count == 1 ? Output.json(results[0]) : Output.json(results) }
        if novelty {
            fflush(nil)
            guard let training else { return Output.note("charnn: the copy check is unavailable: \(unavailable)") }
            let index = NoveltyIndex(training: try pipeline.symbols(of: training))
            for r in results {
                let copied = index.copiedFraction(try pipeline.symbols(of: r.text))
                Output.note(
                    String(
                        format:
                            "novelty at temperature %g: %.1f%% of 20-character windows copied from the training text",
                        r.temperature, 100 * copied))
            }
        }
    }

    /// `--count` samples at each temperature, printed as they are generated unless --json.
    func sampleAll(_ loaded: CharModel, options: SampleOptions, pipeline: CharacterPipeline) throws -> [Result] {
        var options = options
        let temperatures = argmax ? [0] : temps.flatMap(parseTemps) ?? [temp]
        let count = sampling.count
        var results: [Result] = []
        var warned = false
        for t in temperatures {
            for k in 0..<count {
                options.temperature = t
                options.rngSeed = rngSeed &+ UInt64(k)
                if !json && temperatures.count * count > 1 {
                    let what = temperatures.count > 1 ? "temperature \(t)" : "sample \(k + 1) of \(count)"
                    let seedNote = count > 1 ? ", rng seed \(options.rngSeed)" : ""
                    print("\(results.isEmpty ? "" : "\n")--- \(what)\(seedNote) ---")
                }
                var buffer = ""
                let r = try TextSampler.sample(loaded, options: options, pipeline: pipeline) { s in
                    guard !json else { return }
                    buffer += s
                    if buffer.utf8.count >= 64 {
                        print(buffer, terminator: "")
                        fflush(nil)
                        buffer = ""
                    }
                }
                if !json { print(buffer) }
                if !r.skippedSeedSymbols.isEmpty && !warned {
                    warned = true
                    noteSkipped(r.skippedSeedSymbols)
                }
                results.append(
                    Result(
                        model: loaded.record.name, step: loaded.checkpoint.step, temperature: t,
                        rngSeed: options.rngSeed, seed: options.seed, text: r.text, stoppedBy: r.stoppedBy,
                        logProbability: nil))
            }
        }
        return results
    }

    func beamSearch(
        _ loaded: CharModel, width: Int, options: SampleOptions, pipeline: CharacterPipeline
    ) throws
        -> Result
    {
        let r = try BeamSearch.search(loaded, width: width, options: options, pipeline: pipeline)
        if !r.skippedSeedSymbols.isEmpty { noteSkipped(r.skippedSeedSymbols) }
        if !json {
            print(r.text)
            let perSymbol = r.logProbability / Double(max(r.continuation.count, 1))
            Output.note(
                String(
                    format: "charnn: beam %d: ln P = %.4f over %d symbols (%.4f nats/symbol)", width,
                    r.logProbability, r.continuation.count, -perSymbol))
        }
        return Result(
            model: loaded.record.name, step: loaded.checkpoint.step, temperature: 0, rngSeed: rngSeed,
            seed: options.seed, text: r.text, stoppedBy: nil, logProbability: r.logProbability)
    }

    func noteSkipped(_ symbols: [String]) {
        Output.note(
            "charnn: skipped seed symbols the model has never seen: "
                + Set(symbols).sorted().map { "'\($0)'" }.joined(separator: " "))
    }

    /// `--seed -` is standard input, read whole (its lines joined by "\n", as a seed file is read).
    static func readSeed(_ text: String) throws -> String {
        guard text == "-" else { return text }
        return try CharRNN.readText("-")
    }

    func parseTemps(_ s: String) -> [Float]? {
        let values = s.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
        return values.map { $0! }
    }
}
