// The train/held-out split every Verso model and comparison uses: the last fraction, contiguous.

public enum HeldOut {
    /// How many leading items are for training when the last `fraction` is held out.
    public static func trainingCount(_ total: Int, fraction: Double) -> Int {
        Int(Double(total) * (1 - fraction))
    }

    /// The leading items to train on and the last `fraction` held out for validation (contiguous,
    /// as char-rnn does, so the held-out text is text the model never saw in any window).
    public static func split<T>(_ items: [T], fraction: Double) -> (train: [T], heldOut: [T]) {
        let cut = trainingCount(items.count, fraction: fraction)
        return (Array(items[..<cut]), Array(items[cut...]))
    }
}
