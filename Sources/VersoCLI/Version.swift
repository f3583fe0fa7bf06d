// The version every Verso tool reports with --version, and what each sets at process start.
import CProcess

public enum Verso { public static let version = "0.1.0" }

extension Verso {
    /// Settings a command-line tool makes once, first thing in `main`, before any thread starts.
    ///
    /// glibc raises its mmap threshold each time a large block is freed, so after a few rounds
    /// the big arrays of counting and merging (Markov chunks, token blocks) come from the heap,
    /// where freed space fragments and is never given back: `markov train` on 129 MB peaked at
    /// 614 MB that way and at 376 MB with the threshold pinned at 1 MiB, which also turns the
    /// adjustment off. Blocks of 1 MiB and more are then mapped and unmapped on their own.
    public static func startProcess() {
        verso_pin_mmap_threshold()
    }
}
