// Novelty of generated text: the share of its 20-symbol windows found verbatim in the training text.
/// Goodwin's question ("does it write or does it copy?") as a number: 1.0 means every window of
/// the sample was copied from the training text, 0 means none was. Windows are compared by a
/// 64-bit polynomial hash of their symbols (collisions are negligible at these sizes).
public struct NoveltyIndex: Sendable {
    public let window: Int
    private var ids: [String: UInt64] = [:]
    private var seen: Set<UInt64> = []

    public init(training symbols: [String], window: Int = 20) {
        self.window = window
        var ids: [String: UInt64] = [:]
        let coded = symbols.map { s -> UInt64 in
            if let id = ids[s] { return id }
            let id = UInt64(ids.count + 1)
            ids[s] = id
            return id
        }
        self.ids = ids
        seen.reserveCapacity(max(coded.count - window + 1, 0))
        WindowHash.forEach(coded, window: window) { seen.insert($0) }
    }

    /// The fraction of `window`-symbol windows of `generated` that occur in the training text
    /// (0 when the sample is shorter than one window).
    public func copiedFraction(_ generated: [String]) -> Double { copies(generated).fraction }

    /// The copied fraction, and the copied stretches of `generated` as half-open symbol ranges
    /// (overlapping copied windows merged): what a page highlights.
    public func copies(_ generated: [String]) -> (fraction: Double, spans: [Range<Int>]) {
        let coded = generated.map { ids[$0] ?? 0 }  // an unseen symbol can never match
        var total = 0, copied = 0
        var spans: [Range<Int>] = []
        WindowHash.forEach(coded, window: window) { h in
            let start = total
            total += 1
            guard seen.contains(h) else { return }
            copied += 1
            if let last = spans.last, last.upperBound >= start {
                spans[spans.count - 1] = last.lowerBound..<(start + window)
            } else {
                spans.append(start..<(start + window))
            }
        }
        return (total == 0 ? 0 : Double(copied) / Double(total), spans)
    }
}
