// `charnn sample`: text from a trained char-RNN, at a temperature, from a seed.
import ArgumentParser
import CharRNN
import Foundation
import VersoCLI

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample", abstract: "Generate text from a trained char-RNN.",
        discussion: """
            Examples:
              charnn sample --temp 0.6 --seed "The sea"
              charnn sample --model poetry --argmax --length 200
              charnn sample --preseed "$(head -c 200 poems.txt)" --seed "Love"
            """)

    @Option(help: "Model name (default: the most recently trained char-RNN).") var model: String?
    @Option(help: "Temperature T > 0: p ∝ exp(logit/T); 0 means greedy.") var temp: Float = 0.6
    @Flag(help: "Always pick the most likely symbol (same as --temp 0).") var argmax = false
    @Option(help: "Text the sample starts with (printed).") var seed = ""
    @Option(help: "Conditioning text run through the network first (not printed).") var preseed = ""
    @Option(help: "Symbols to generate after the seed.") var length = 2000
    @Option(help: "Random seed for sampling.") var rngSeed: UInt64 = 1
    @Option(help: "Checkpoint: best (lowest validation loss) or latest.") var checkpoint = "best"
    @Flag(help: "Print JSON (model, checkpoint step, temperature, text).") var json = false
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard temp >= 0, temp.isFinite else { throw ValidationError("--temp must be ≥ 0") }
        guard length >= 0 else { throw ValidationError("--length must be ≥ 0") }
        guard ["best", "latest"].contains(checkpoint) else { throw ValidationError("--checkpoint is best or latest") }
    }

    struct Result: Encodable { let model: String; let step: Int; let temperature: Float; let seed: String; let text: String }

    func run() throws {
        let store = try storeOptions.open()
        let loaded = try CharModelStore.load(store: store, name: model, label: checkpoint)
        var options = SampleOptions()
        options.length = length; options.temperature = argmax ? 0 : temp
        options.seed = seed; options.preseed = preseed; options.rngSeed = rngSeed
        var buffer = ""
        let result = try TextSampler.sample(loaded, options: options, pipeline: try CharTextPipeline()) { s in
            guard !json else { return }
            buffer += s
            if buffer.utf8.count >= 256 { FileHandle.standardOutput.write(Data(buffer.utf8)); buffer = "" }
        }
        if !result.skippedSeedSymbols.isEmpty {
            Output.note("charnn: skipped seed symbols not in the model's vocabulary: "
                        + Set(result.skippedSeedSymbols).sorted().map { "'\($0)'" }.joined(separator: " "))
        }
        if json {
            try Output.json(Result(model: loaded.record.name, step: loaded.checkpoint.step,
                                   temperature: options.temperature, seed: seed, text: result.text))
        } else {
            print(buffer)
        }
    }
}
