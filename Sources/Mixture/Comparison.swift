// `charnn compare`'s experiment: Markov chains of every order, char-RNNs and mixtures scored on
// the same held-out text, with their sampling speed, copied windows and real words.
import CharRNN
import Dispatch
import Evaluation
import Foundation
import Markov
import Sampling
import VersoText

/// One model's figures on the held-out text and in its samples.
public struct ComparisonRow: Codable, Sendable {
    public var model: String
    public var bitsPerChar: Double?
    public var charsPerSecond: Double?  // sampling, at temperature 1
    public var copied: [Double]  // share of 20-symbol windows found in the training text, per temperature
    public var realWords: [Double?]  // share of words found in the training text, per temperature

    enum CodingKeys: String, CodingKey {
        case model, copied, bitsPerChar = "bits_per_char", charsPerSecond = "chars_per_s", realWords = "real_words"
    }
}

public struct Comparison: Sendable {
    public static let temperatures = [1.0, 0.8, 0.6]
    public var maxOrder = 10
    public var smoothings: [SmoothingKind] = [.kneserNey]
    public var length = 20_000  // symbols sampled per model and temperature
    public var rngSeed: UInt64 = 1
    /// The held-out text is the char-RNN's validation part, which a stored mixture's weights were
    /// fitted on and its chain counted: mixtures then start from fresh weights (learning online as
    /// they go) and a chain of the same order counted on the training text alone.
    public var freshMixtureWeights = true
    public init() {}

    public func validate() throws {
        guard (1...32).contains(maxOrder) else {
            throw MixtureError("Markov order \(maxOrder) is not between 1 and 32")
        }
        guard length >= 20 else { throw MixtureError("sample length \(length) is under one 20-symbol window") }
    }

    /// The rows: the held-out text itself, each chain built on `training`, each of `models`;
    /// `progress` hears of each row as it starts.
    public func run(
        training: [String], heldOut: [String], models: [CharGenerator], pipeline: CharacterPipeline,
        progress: (String) -> Void = { _ in }
    ) throws -> [ComparisonRow] {
        try validate()
        let check = SampleCheck(training: training)
        let reference = check.check(heldOut)
        var rows = [
            ComparisonRow(
                model: "held-out text (reference)", bitsPerChar: nil, charsPerSecond: nil,
                copied: [reference.copied], realWords: [reference.realWords])
        ]
        for smoothing in smoothings {
            for order in 1...maxOrder {
                var config = MarkovConfig()
                config.order = order
                config.smoothing = smoothing
                let name = "markov \(smoothing.rawValue) order \(order)"
                progress(name)
                let m = MarkovModel.buildCharacters(training, config: config)
                let bits = m.crossEntropy(heldOut).bitsPerChar
                rows.append(try samples(of: m, name: name, bits: bits, check: check, pipeline: pipeline))
            }
        }
        for model in models {
            progress(model.name)
            switch model.model {
            case .charRNN(let m):
                let ids = m.vocabulary.encode(heldOut).ids
                let ce = Evaluator.crossEntropy(
                    network: m.network, ids: ids, steps: m.config.seqLength, batch: m.config.batchSize)
                let shape = m.config.network
                rows.append(
                    try samples(
                        of: m, name: "char-RNN \(model.name) (\(shape.layers)×\(shape.hidden) \(shape.cell.rawValue))",
                        bits: ce.bitsPerChar, check: check, pipeline: pipeline))
            case .mixture(let m):
                let scored = freshMixtureWeights ? m.withFreshWeights().counting(training) : m
                let score = scored.score(m.lstm.vocabulary.encode(heldOut).ids).score
                let name = "mixture \(model.name) (\(m.config.mixer.method.rawValue), order \(m.markov.config.order))"
                rows.append(
                    try samples(of: m, name: name, bits: score.mixture.bitsPerChar, check: check, pipeline: pipeline))
            }
        }
        return rows
    }

    func samples(
        of generator: some Generator, name: String, bits: Double, check: SampleCheck, pipeline: CharacterPipeline
    ) throws -> ComparisonRow {
        var settings = SamplingSettings()
        settings.length = length
        var row = ComparisonRow(model: name, bitsPerChar: bits, charsPerSecond: nil, copied: [], realWords: [])
        for t in Comparison.temperatures {
            let start = DispatchTime.now()
            let s = try SampleLoop.sample(
                generator, settings: settings, temperature: t, rngSeed: rngSeed, pipeline: pipeline)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            if t == 1 { row.charsPerSecond = Double(s.generated) / max(seconds, 1e-9) }
            let figures = check.check(s.symbols)
            row.copied.append(figures.copied)
            row.realWords.append(figures.realWords)
        }
        return row
    }
}

extension MixtureModel {
    /// The same parts and learning rate with the weights a new mixture starts from.
    public func withFreshWeights() -> MixtureModel {
        with(mixer: Mixer(config: config.mixer, vocabulary: symbols.count, order: markov.config.order))
    }

    /// The same mixture with its chain counted on `training` instead.
    public func counting(_ training: [String]) -> MixtureModel {
        let chain = MarkovModel.buildCharacters(training, config: markov.config, symbols: lstm.vocabulary.symbols)
        return MixtureModel(name: name, config: config, lstm: lstm, markov: chain, mixer: mixer)
    }
}
