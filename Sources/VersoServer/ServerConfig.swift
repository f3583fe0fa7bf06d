// `verso serve`'s settings in one struct: where it listens, which store it reads, and its limits.
import Foundation

public struct ServerConfig: Sendable {
    /// The store (nil: the default location); opened read-only.
    public var storePath: String?
    /// Loopback unless the user says otherwise: the playground is for the person at this machine.
    public var host = "127.0.0.1"
    public var port = 8080

    // Limits, so that one request cannot hurt the others or the machine.
    public var maxBodyBytes = 64 * 1024
    public var maxLength = 20_000  // symbols per sample
    public var maxTemperatures = 8
    public var maxSeedSymbols = 2_000  // seed and pre-seed, each
    public var maxSentences = 50  // word-level Markov models
    public var maxNeighbours = 200
    public var maxModelsPerQuery = 8
    public var maxWordsPerQuery = 32
    /// Sampling stops here (the result says so); queries are far quicker.
    public var requestSeconds = 30.0
    /// A connection has this long to send its request head (from its opening, or from the end of
    /// its previous response), and is closed after `idleSeconds` without a whole HTTP part.
    public var headerSeconds = 10.0
    public var idleSeconds = 60.0
    /// Open connections at most; more wait in the listen backlog until one closes.
    public var maxConnections = 512
    /// Samples generated at once; the rest wait their turn.
    public var samplingWorkers = max(1, ProcessInfo.processInfo.activeProcessorCount)

    public init() {}
}
