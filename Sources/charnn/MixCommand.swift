// `charnn mix LSTM`: a char-RNN and a Markov chain mixed into one stored model of kind mixture.
import ArgumentParser
import Markov
import Mixture
import VersoCLI
import VersoText

struct MixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mix", abstract: "Mix a char-RNN with a Markov chain into a model that samples and scores as one.",
        discussion: """
            The chain is counted from the char-RNN's own training split, as the store keeps it
            (or --markov takes a stored one). The mixing weights, chosen by how much the chain
            knows of the context, are learned online over the char-RNN's validation part, which
            neither model trained on: each symbol is predicted before any weight sees it. They go
            on learning the same way wherever the mixture is used. Then the chain counts the
            validation part too (--no-count-validation keeps it to the training split). Examples:
              charnn mix poetry --order 6 --name poetry-mix
              charnn mix poetry --method linear --name poetry-lin
              charnn mix poetry --markov poetry-markov --name poetry-mix2
              charnn sample --model poetry-mix --temp 0.8
              charnn eval held-out.txt --model poetry-mix
            """)

    @Argument(help: "The char-RNN to mix (its best checkpoint is copied).") var lstm: String
    @Option(help: "The mixture's name (default: LSTM-mix).") var name: String?
    @Option(help: "Order of the chain counted from the char-RNN's training split.") var order = 6
    @Option(help: "Its smoothing: kn or wb.") var smoothing: SmoothingKind = .kneserNey
    @Option(help: "A stored character Markov model instead of counting one.") var markov: String?
    @Option(help: "logistic (PAQ's mixing of binary decisions in the stretch domain) or linear.")
    var method: MixerConfig.Method = MixerConfig().method
    @Option(help: "The char-RNN's validation text, when its corpus is no longer where it was.") var validation: String?
    @Flag(inversion: .prefixedNo, help: "Once the weights are learned, count the validation part into the chain.")
    var countValidation = MixtureStore.Request(lstm: "", name: "").countingValidation
    @Flag(help: "Replace an existing mixture of the same name.") var force = false
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    var request: MixtureStore.Request {
        var r = MixtureStore.Request(lstm: lstm, name: name ?? lstm + "-mix")
        r.markov = markov
        r.order = order
        r.smoothing = smoothing
        r.mixer.method = method
        r.validationPath = validation
        r.countingValidation = countValidation
        r.replacing = force
        return r
    }

    func validate() throws {
        do { try request.validate() } catch { throw InputError("\(error)") }
    }

    struct Report: Encodable {
        let name: String, method: String, order: Int, learningRate: Double
        let validation: [String: Double]?
        enum CodingKeys: String, CodingKey {
            case name, method, order, validation
            case learningRate = "learning_rate"
        }
    }

    func run() throws {
        let store = try storeOptions.openExisting()
        let made = try MixtureStore.mix(store: store, request, pipeline: try CharacterPipeline())
        for w in made.warnings { Output.note("charnn: warning: \(w)") }
        let m = made.model
        let validation = made.validation.map {
            ["mixture": $0.mixture.natsPerChar, "lstm": $0.lstm.natsPerChar, "markov": $0.markov.natsPerChar]
        }
        if json {
            return try Output.json(
                Report(
                    name: m.name, method: m.config.mixer.method.rawValue, order: m.markov.config.order,
                    learningRate: m.config.mixer.learningRate, validation: validation))
        }
        var line = "mixed \(m.name): \(m.config.lstm) (step \(m.config.lstmStep)) with a Markov chain of order "
            + "\(m.markov.config.order), \(m.config.mixer.method.rawValue) mixing, learning rate "
            + "\(m.config.mixer.learningRate)"
        if let v = made.validation {
            line += String(
                format: "\nvalidation (learned online): mixture %.4f, char-RNN %.4f, Markov %.4f nats/char "
                    + "over %d chars",
                v.mixture.natsPerChar, v.lstm.natsPerChar, v.markov.natsPerChar, v.mixture.chars)
        }
        print(line)
    }
}

extension MixerConfig.Method: ExpressibleByArgument {}
