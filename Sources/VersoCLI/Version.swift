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
    ///
    /// `stopSignals`: SIGINT and SIGTERM go to one thread that waits for them (see
    /// `StopSignals`); the server leaves them to its service group's own handling.
    public static func startProcess(stopSignals: Bool = true) {
        verso_pin_mmap_threshold()
        if stopSignals { verso_route_stop_signals() }
    }

    /// The command line's arguments (without the program), with `--option -5` read as
    /// `--option=-5` (and `-n -5` as `-n=-5`): ArgumentParser takes a word starting with '-' for
    /// an option, so a negative number after an option was "missing its value". Only words that
    /// are numbers are joined.
    public static func arguments(_ words: [String] = Array(CommandLine.arguments.dropFirst())) -> [String] {
        var out: [String] = []
        var i = 0
        while i < words.count {
            let word = words[i]
            if word == "--" { return out + words[i...] }  // the rest are arguments as they are
            let isOption = (word.hasPrefix("--") && !word.contains("=")) || isShortOption(word)
            if isOption, i + 1 < words.count, isNegativeNumber(words[i + 1]) {
                out.append(word + "=" + words[i + 1])
                i += 2
                continue
            }
            out.append(word)
            i += 1
        }
        return out
    }

    /// Whether the user typed option `flag` (as `--flag` or `--flag=…`), whatever its value.
    public static func givenOnCommandLine(_ flag: String) -> Bool {
        CommandLine.arguments.dropFirst().contains { $0 == flag || $0.hasPrefix(flag + "=") }
    }

    /// `-n`: a dash and one letter (ArgumentParser reads `-n=-5` as its value).
    static func isShortOption(_ word: String) -> Bool {
        word.count == 2 && word.hasPrefix("-") && word.last!.isLetter
    }

    /// "-1", "-0.5", "-.5", "-2e-3", "-inf", "-nan": what a number option may be given.
    static func isNegativeNumber(_ word: String) -> Bool {
        guard word.hasPrefix("-"), word.count > 1 else { return false }
        let rest = word.dropFirst().lowercased()
        if rest == "inf" || rest == "infinity" || rest == "nan" { return true }
        guard let first = rest.first, first.isNumber || first == "." else { return false }
        return Double(rest) != nil
    }
}
