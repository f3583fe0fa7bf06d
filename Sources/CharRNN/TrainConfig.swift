// Everything that defines a char-RNN training run, as one struct (stored as the model's JSON config).
import Foundation
import VersoNN

public struct TrainConfig: Codable, Sendable, Equatable {
    public var network: NetworkConfig
    public var seqLength = 50
    public var batchSize = 50
    public var optimizer: OptimizerKind = .rmsprop
    public var learningRate: Float = 2e-3
    public var rmspropAlpha: Float = 0.95
    public var lrDecay: Float = 0.97
    public var lrDecayAfter = 10  // epochs at full learning rate
    public var lrSchedule: LRSchedule? = nil  // nil (configs stored before it): .epochDecay
    public var gradClip: Float = 5
    public var clipMode: ClipMode = .value
    public var maxNorm: Float? = nil
    public var valFrac = 0.1
    public var valFile: String? = nil  // validation text apart from the corpus (then all of it trains)
    public var epochs = 50.0
    public var maxSteps: Int? = nil
    public var evalEvery = 1000
    public var threads = 1
    public var rngSeed: UInt64 = 123
    /// Decay of an exponential moving average of the weights, updated after every step, evaluated
    /// at every checkpoint and kept as the `averaged` checkpoint (nil or 0: none).
    public var weightAverage: Double? = nil

    public init(network: NetworkConfig) { self.network = network }

    /// The learning rate at `step` in `epoch` (both 0-based).
    public func learningRate(step: Int, epoch: Int) -> Float {
        switch lrSchedule ?? .epochDecay {
        case .epochDecay:
            let decays = max(0, epoch - lrDecayAfter + 1)
            return learningRate * Float(pow(Double(lrDecay), Double(decays)))
        case .cosine:
            let progress = min(1, Double(step) / Double(max(maxSteps ?? 1, 1)))
            let floor = LRSchedule.cosineFloor
            return learningRate * Float(floor + (1 - floor) * 0.5 * (1 + cos(Double.pi * progress)))
        }
    }
}

/// How the learning rate moves during a run.
public enum LRSchedule: String, Codable, Sendable, CaseIterable {
    /// char-rnn's: the full rate for `lrDecayAfter` epochs, then × `lrDecay` per epoch.
    case epochDecay = "epoch-decay"
    /// Half a cosine from the full rate down to a tenth of it at `maxSteps` (what `--auto` sets:
    /// a run that knows its length ends on small steps, whatever the epoch count).
    case cosine

    public static let cosineFloor = 0.1
}

/// "90s", "10m", "1.5h", "2h30m" → seconds.
public func parseDuration(_ text: String) -> Double? {
    var total = 0.0, number = ""
    for ch in text {
        if ch.isNumber || ch == "." {
            number.append(ch)
            continue
        }
        guard let value = Double(number) else { return nil }
        switch ch {
        case "s": total += value
        case "m": total += value * 60
        case "h": total += value * 3600
        default: return nil
        }
        number = ""
    }
    if !number.isEmpty {
        guard let v = Double(number) else { return nil }
        total += v
    }
    return total
}
