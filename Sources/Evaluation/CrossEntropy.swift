// The cross-entropy result every model kind reports (nats and bits per character), and its JSON form.

/// Mean −ln p(next symbol) over `chars` scored predictions; `unknownChars` were skipped because
/// the model has never seen them.
public struct CrossEntropy: Codable, Sendable, Equatable {
    public var natsPerChar: Double
    public var chars: Int
    public var unknownChars: Int
    public var bitsPerChar: Double { natsPerChar / 0.6931471805599453 }

    public init(natsPerChar: Double, chars: Int, unknownChars: Int = 0) {
        self.natsPerChar = natsPerChar
        self.chars = chars
        self.unknownChars = unknownChars
    }
}

/// What `charnn eval` and `markov eval` print with `--json`: one shape, so the two compare.
public struct EvalReport: Encodable, Sendable {
    public let model: String
    public let crossEntropy: CrossEntropy
    public let order: Int?  // Markov models only
    public let smoothing: String?  // Markov models only
    /// A mixture's parts scored in the same pass: name → cross-entropy.
    public var parts: [(name: String, crossEntropy: CrossEntropy)] = []

    public init(model: String, crossEntropy: CrossEntropy, order: Int? = nil, smoothing: String? = nil) {
        self.model = model
        self.crossEntropy = crossEntropy
        self.order = order
        self.smoothing = smoothing
    }

    enum CodingKeys: String, CodingKey {
        case model, chars, order, smoothing, parts
        case natsPerChar = "nats_per_char", bitsPerChar = "bits_per_char", unknownChars = "unknown_chars"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(crossEntropy.natsPerChar, forKey: .natsPerChar)
        try c.encode(crossEntropy.bitsPerChar, forKey: .bitsPerChar)
        try c.encode(crossEntropy.chars, forKey: .chars)
        try c.encode(crossEntropy.unknownChars, forKey: .unknownChars)
        try c.encodeIfPresent(order, forKey: .order)
        try c.encodeIfPresent(smoothing, forKey: .smoothing)
        if !parts.isEmpty {
            let byName = Dictionary(
                parts.map { ($0.name, ["nats_per_char": $0.crossEntropy.natsPerChar, "bits_per_char": $0.crossEntropy.bitsPerChar]) },
                uniquingKeysWith: { a, _ in a })
            try c.encode(byName, forKey: .parts)
        }
    }
}
