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
            The seed is given as `--seed TEXT` (printed, then continued). `--seed` with no text pre-seeds
            the network with an excerpt of the model's own training text (fed in, not printed) and
            starts the sample at a line start. Examples:
              charnn sample --temp 0.6 --seed "The sea"
              charnn sample --temp 0.6 --seed
              charnn sample --model poetry --temps 0.2,0.5,0.8,1.0 --seed "Love"
              charnn sample --preseed-file poems.txt --seed "Night" --top-k 5 --argmax
            """)

    @Option(help: "Model name (default: the most recently trained char-RNN).") var model: String?
    @Option(help: "Temperature T > 0: p ∝ exp(logit/T); 0 means greedy.") var temp: Float = 0.6
    @Option(help: "Several temperatures, one sample each from the same seed (e.g. 0.2,0.5,0.8,1.0).") var temps: String?
    @Flag(help: "Always pick the most likely symbol (same as --temp 0).") var argmax = false
    @Option(help: "Sample only among the K most likely symbols.") var topK = 0
    @Flag(name: .customLong("seed"), help: "Start from TEXT (printed); alone, pre-seed from the training text.")
    var seedFlag = false
    @Argument(help: "The seed text, after --seed.") var seedText: String?
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
        guard length >= 0, topK >= 0 else { throw ValidationError("--length and --top-k must be ≥ 0") }
        if let t = temps, parseTemps(t) == nil {
            throw ValidationError("--temps '\(t)' is not a comma-separated list of temperatures ≥ 0")
        }
    }

    struct Result: Encodable {
        let model: String
        let step: Int
        let temperature: Float
        let seed: String
        let text: String
    }

    func run() throws {
        let store = try storeOptions.openForReading()
        let loaded = try CharModelStore.load(store: store, name: model, label: checkpoint)
        var options = SampleOptions()
        options.length = length
        options.topK = topK
        options.rngSeed = rngSeed
        options.seed = seedText ?? ""
        options.preseed = preseed
        if let f = preseedFile { options.preseed = try CharRNN.readText(f) + preseed }
        // The training text as the store keeps it (nil for a model trained before Verso kept it).
        let training = seedFlag || novelty ? try CharModelStore.trainingText(store: store, model: loaded) : nil
        let unavailable = "'\(loaded.record.name)' was trained before Verso kept its training text; train it again"
        if seedFlag && seedText == nil && options.preseed.isEmpty {
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
        let temperatures = argmax ? [0] : temps.flatMap(parseTemps) ?? [temp]
        let pipeline = try CharacterPipeline()
        var results: [Result] = []
        var warned = false
        for (k, t) in temperatures.enumerated() {
            options.temperature = t
            if !json && temperatures.count > 1 { print("\(k == 0 ? "" : "\n")--- temperature \(t) ---") }
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
                Output.note(
                    "charnn: skipped seed symbols the model has never seen: "
                        + Set(r.skippedSeedSymbols).sorted().map { "'\($0)'" }.joined(separator: " "))
            }
            results.append(
                Result(
                    model: loaded.record.name, step: loaded.checkpoint.step, temperature: t,
                    seed: options.seed, text: r.text))
        }
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

    func parseTemps(_ s: String) -> [Float]? {
        let values = s.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
        return values.map { $0! }
    }
}
