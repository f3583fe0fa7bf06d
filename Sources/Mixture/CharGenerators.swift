// A character generator found by name: a char-RNN or a mixture, with what sampling needs beside it.
import CharRNN
import Evaluation
import Sampling
import VersoStore
import VersoText

/// A char-RNN or mixture, loaded to sample, score or serve.
public struct CharGenerator: @unchecked Sendable {  // read-only once loaded
    public enum Model {
        case charRNN(CharModel)
        case mixture(MixtureModel)
    }
    public let model: Model
    public let name: String
    public let kind: ModelKind
    public let step: Int  // the char-RNN's checkpoint step (a mixture's: the one it copied)
    /// The text it trained on, as the store keeps it (nil for a model from before Verso kept it).
    public let trainingText: String?

    public var generator: any Generator {
        switch model {
        case .charRNN(let m): m
        case .mixture(let m): m
        }
    }

    /// The char-RNN a mixture copied, or the char-RNN itself.
    public var charModel: CharModel {
        switch model {
        case .charRNN(let m): m
        case .mixture(let m): m.lstm
        }
    }

    /// Model `name`: a mixture when the store's model of that name is one, else a char-RNN (the
    /// most recent when `name` is nil) at checkpoint `label`.
    public static func load(store: Store, name: String?, label: CheckpointLabel = .best) throws -> CharGenerator {
        if let name, try store.kindOfModel(named: name) == .mixture {
            let m = try MixtureStore.load(store: store, name: name)
            return CharGenerator(
                model: .mixture(m), name: m.name, kind: .mixture, step: m.config.lstmStep,
                trainingText: try MixtureStore.trainingText(store: store, name: name))
        }
        let m = try CharModelStore.load(store: store, name: name, label: label)
        return CharGenerator(
            model: .charRNN(m), name: m.record.name, kind: .charnn, step: m.checkpoint.step,
            trainingText: try CharModelStore.trainingText(store: store, model: m))
    }

    /// Every sample of `settings`, through the one sampling loop.
    public func sample(
        _ settings: SamplingSettings, pipeline: CharacterPipeline, keepGoing: () -> Bool = { true },
        report: (SampleEvent) -> Void = { _ in }
    ) throws -> [GeneratedSample] {
        try SampleLoop.run(generator, settings: settings, pipeline: pipeline, keepGoing: keepGoing, report: report)
    }
}
