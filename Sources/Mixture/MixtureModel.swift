// A char-RNN and a Markov chain mixed into one generator: its state, its scoring of a text with
// each part's loss beside the mixture's, and its weights fitted online on unseen text.
#if canImport(Glibc)
    import Glibc
#endif
import CharRNN
import Evaluation
import Markov
import Sampling
import VersoNN
import VersoStore

/// What a mixture is made of, as the store keeps it beside the weights.
public struct MixtureConfig: Codable, Sendable, Equatable {
    public var mixer = MixerConfig()
    public var lstm: String  // the char-RNN it copied, at its best checkpoint
    public var lstmStep: Int
    public var lstmConfig: TrainConfig
    /// The chain it took (`--markov`), or nil when it counted the char-RNN's training split.
    public var markov: String?
    public var markovConfig: MarkovConfig
    public init(
        mixer: MixerConfig, lstm: String, lstmStep: Int, lstmConfig: TrainConfig, markov: String?,
        markovConfig: MarkovConfig
    ) {
        self.mixer = mixer
        self.lstm = lstm
        self.lstmStep = lstmStep
        self.lstmConfig = lstmConfig
        self.markov = markov
        self.markovConfig = markovConfig
    }
}

/// A mixture ready to sample and score: symbols are the char-RNN's.
public final class MixtureModel: @unchecked Sendable {  // read-only once built; states own their weights
    public let name: String
    public let config: MixtureConfig
    public let lstm: CharModel
    public let markov: MarkovModel
    public let mixer: Mixer  // the weights as fitted; every state starts from them
    let markovID: [Int32]  // the chain's id of each char-RNN symbol (−1: it never saw it)
    static let markovFloor = 1e-6  // the chain's share kept for symbols it never saw

    public init(name: String, config: MixtureConfig, lstm: CharModel, markov: MarkovModel, mixer: Mixer) {
        self.name = name
        self.config = config
        self.lstm = lstm
        self.markov = markov
        self.mixer = mixer
        markovID = lstm.vocabulary.symbols.map { markov.id($0) ?? -1 }
        _ = markov.smoother  // built once here, not lazily by concurrent samplers
    }

    /// The same parts with other weights (fitting tries several learning rates).
    func with(mixer: Mixer) -> MixtureModel {
        MixtureModel(name: name, config: config, lstm: lstm, markov: markov, mixer: mixer)
    }
}

/// The mixture's place in a text: the network's state, the chain's history and the weights as
/// they have learned so far (each state its own copy).
final class MixtureState: GeneratorState {
    let model: MixtureModel
    let stream: StreamState
    var history: [Int32] = []  // chain ids
    var mixer: Mixer
    var parts: PartDistributions
    var ready = false  // `parts` describe the current position
    var work: Mixer.Workspace
    var markovP: [Double], nodes: [Int32] = [], mixed: [Double]

    init(_ model: MixtureModel) {
        self.model = model
        stream = StreamState(model.lstm.network)
        mixer = model.mixer
        let V = model.lstm.vocabulary.count
        parts = PartDistributions(lstm: [Double](repeating: 0, count: V), markov: [Double](repeating: 0, count: V))
        work = Mixer.Workspace(model.mixer)
        markovP = [Double](repeating: 0, count: model.markov.symbols.count)
        mixed = [Double](repeating: 0, count: V)
    }

    /// Both parts' distributions at the current position.
    func prepare() {
        guard !ready else { return }
        let V = parts.lstm.count, z = stream.logits.p
        var top = z[0]
        for j in 1..<V where z[j] > top { top = z[j] }
        var sum = 0.0
        for j in 0..<V {
            parts.lstm[j] = exp(Double(z[j] - top))
            sum += parts.lstm[j]
        }
        for j in 0..<V { parts.lstm[j] /= sum }
        let lstmTop = 1 / sum  // the most likely symbol's exp(0) over the sum
        let known = history.withUnsafeBufferPointer { h in
            markovP.withUnsafeMutableBufferPointer { model.markov.distribution(after: h, nodes: &nodes, into: $0) }
        }
        let floor = MixtureModel.markovFloor
        var total = 0.0
        for j in 0..<V {
            let id = model.markovID[j]
            parts.markov[j] = (id >= 0 ? markovP[Int(id)] : 0) + floor
            total += parts.markov[j]
        }
        for j in 0..<V { parts.markov[j] /= total }
        parts.context = Mixer.contextClass(
            depth: known.depth, count: known.count, order: model.markov.config.order, lstmTop: lstmTop)
        ready = true
    }

    func scores(into scores: UnsafeMutableBufferPointer<Float>) {
        prepare()
        mixer.distribution(parts, into: &mixed, work: &work)
        for j in scores.indices { scores[j] = mixed[j] > 0 ? Float(log(mixed[j])) : -.infinity }
    }

    /// ln p(symbol) of the mixture and of each part; the weights learn from it, then the state
    /// moves past it.
    @discardableResult
    func observe(_ symbol: Int32) -> (mixture: Double, lstm: Double, markov: Double) {
        prepare()
        let parts = (log(self.parts.lstm[Int(symbol)]), log(self.parts.markov[Int(symbol)]))
        let mixture = mixer.observe(symbol, self.parts, work: &work)
        step(symbol)
        return (mixture, parts.0, parts.1)
    }

    func advance(_ symbol: Int32) {
        if mixer.config.learningRate > 0 { observe(symbol) } else { step(symbol) }
    }

    func step(_ symbol: Int32) {
        parts.position += 1
        stream.feed(symbol)
        history.append(model.markovID[Int(symbol)])
        let order = model.markov.config.order
        if history.count > 2 * order + 16 { history.removeFirst(history.count - order) }
        ready = false
    }


    func fork() -> any GeneratorState {
        let copy = MixtureState(model)
        copy.stream.copy(from: stream)
        copy.history = history
        copy.mixer = mixer
        return copy
    }
}

extension MixtureModel: Generator {
    public var symbols: [String] { lstm.vocabulary.symbols }
    public func id(_ symbol: String) -> Int32? { lstm.vocabulary.id(symbol) }
    public func startState() -> any GeneratorState { MixtureState(self) }
}

/// A text scored by the mixture and by each of its parts, in one pass in text order.
public struct MixtureScore: Sendable {
    public var mixture: CrossEntropy
    public var lstm: CrossEntropy
    public var markov: CrossEntropy
}

extension MixtureModel {
    /// Mean −ln p over every symbol of `ids` but the first, the weights learning online as they
    /// go (each symbol predicted before they see it); also the weights they end with.
    /// `each` hears the mixture's ln p of every symbol predicted, by position.
    public func score(
        _ ids: [Int32], each: (Int, Double) -> Void = { _, _ in }
    ) -> (score: MixtureScore, mixer: Mixer) {
        let state = MixtureState(self)
        var totals = (mixture: 0.0, lstm: 0.0, markov: 0.0)
        if let first = ids.first { state.step(first) }
        for (i, id) in ids.enumerated().dropFirst() {
            let lp = state.observe(id)
            each(i, lp.mixture)
            totals.mixture -= lp.mixture
            totals.lstm -= lp.lstm
            totals.markov -= lp.markov
        }
        let n = max(ids.count - 1, 0)
        func ce(_ total: Double) -> CrossEntropy {
            CrossEntropy(natsPerChar: n > 0 ? total / Double(n) : .nan, chars: n)
        }
        let score = MixtureScore(mixture: ce(totals.mixture), lstm: ce(totals.lstm), markov: ce(totals.markov))
        return (score, state.mixer)
    }

    /// The weights learned online over `ids` (text neither part trained on), with the learning
    /// rate among `rates` that predicts their first `probe` symbols best; and the score of that
    /// pass, which is honest: every symbol was predicted before the weights saw it.
    public func fitted(
        on ids: [Int32], rates: [Double] = [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2], probe: Int = 20_000
    ) -> (model: MixtureModel, score: MixtureScore) {
        let head = Array(ids.prefix(probe))
        var best = (rate: config.mixer.learningRate, loss: Double.infinity)
        for rate in rates {
            var c = mixer.config
            c.learningRate = rate
            let trial = with(mixer: Mixer(config: c, vocabulary: symbols.count, order: markov.config.order))
            let loss = trial.score(head).score.mixture.natsPerChar
            if loss < best.loss { best = (rate, loss) }
        }
        var c = mixer.config
        c.learningRate = best.rate
        let start = with(mixer: Mixer(config: c, vocabulary: symbols.count, order: markov.config.order))
        let (score, learned) = start.score(ids)
        var config = self.config
        config.mixer = c
        return (MixtureModel(name: name, config: config, lstm: lstm, markov: markov, mixer: learned), score)
    }
}
