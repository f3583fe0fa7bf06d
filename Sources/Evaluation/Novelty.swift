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
    public func copiedFraction(_ generated: [String]) -> Double {
        let coded = generated.map { ids[$0] ?? 0 }  // an unseen symbol can never match
        var total = 0, copied = 0
        WindowHash.forEach(coded, window: window) { h in
            total += 1
            if seen.contains(h) { copied += 1 }
        }
        return total == 0 ? 0 : Double(copied) / Double(total)
    }
}
