// The one random number generator of Verso: SplitMix64, seeded, fast, and saved into checkpoints.

/// SplitMix64 (Steele et al. 2014): tiny state, fast, and its state saves into a checkpoint.
/// Every trainer and sampler draws from one of these, never from the system generator, so the
/// same seed gives the same bits.
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }

    @inline(__always) public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 24 random bits.
    @inline(__always) public mutating func nextFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform in [0, 1) with 53 random bits.
    @inline(__always) public mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1p-53 }
}
