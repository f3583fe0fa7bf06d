// The result of `charnn eval` and `markov eval`: one shape, so their --json output is comparable.
public struct CrossEntropyReport: Encodable, Sendable {
    public let model: String
    public let natsPerChar: Double
    public let chars: Int
    public let unknownChars: Int
    public let order: Int?            // Markov models only
    public let smoothing: String?     // Markov models only
    public var bitsPerChar: Double { natsPerChar / 0.6931471805599453 }

    public init(model: String, natsPerChar: Double, chars: Int, unknownChars: Int, order: Int? = nil, smoothing: String? = nil) {
        self.model = model; self.natsPerChar = natsPerChar; self.chars = chars; self.unknownChars = unknownChars
        self.order = order; self.smoothing = smoothing
    }

    enum CodingKeys: String, CodingKey {
        case model, chars, order, smoothing
        case natsPerChar = "nats_per_char", bitsPerChar = "bits_per_char", unknownChars = "unknown_chars"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(natsPerChar, forKey: .natsPerChar)
        try c.encode(bitsPerChar, forKey: .bitsPerChar)
        try c.encode(chars, forKey: .chars)
        try c.encode(unknownChars, forKey: .unknownChars)
        try c.encodeIfPresent(order, forKey: .order)
        try c.encodeIfPresent(smoothing, forKey: .smoothing)
    }
}
