// Rolling polynomial hashes of fixed-length windows: how novelty and markovify's originality test
// find copied runs of symbols in O(n).

public enum WindowHash {
    /// Calls `body` with h = Σ code_k·B^(w−1−k) (mod 2^64) of every `w`-symbol window of `codes`,
    /// in order. Codes should be nonzero for symbols that must count (0 adds nothing to a hash).
    @inlinable
    public static func forEach<C: Collection>(_ codes: C, window w: Int, _ body: (UInt64) -> Void)
    where C.Element == UInt64 {
        guard codes.count >= w, w > 0 else { return }
        let base: UInt64 = 0x100_0000_01B3
        var top: UInt64 = 1
        for _ in 1..<w { top = top &* base }
        var h: UInt64 = 0
        var outgoing = codes.startIndex
        var length = 0
        for code in codes {
            if length >= w {
                h = h &- codes[outgoing] &* top
                outgoing = codes.index(after: outgoing)
            }
            h = h &* base &+ code
            length += 1
            if length >= w { body(h) }
        }
    }
}
