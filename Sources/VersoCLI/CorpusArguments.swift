// The text arguments every command that reads a corpus shares: files, folders or -, and --lenient.
import ArgumentParser
import VersoStore
import VersoText

public struct CorpusArguments: ParsableArguments {
    @Argument(
        help: ArgumentHelp(
            "The text: one or more files, folders or - (standard input), read one after another.",
            discussion: "UTF-8 text; .gz, .xz and .bz2 files are read as streams; a folder gives its .txt files "
                + "(also compressed), at any depth, in sorted order.",
            valueName: "file"))
    public var files: [String] = []
    @Flag(
        help: ArgumentHelp(
            "Skip a file that is not UTF-8 text (binary, invalid UTF-8, unreadable) and say so.",
            discussion: "Each file is then read through once before it is used. Standard input cannot be read "
                + "twice: its bad bytes become U+FFFD instead."))
    public var lenient = false

    public init() {}

    /// Fails unless at least one text was named.
    public func requireFiles() throws {
        if files.isEmpty { throw ValidationError("give the text to read: files, folders or - (standard input)") }
    }

    /// The corpus the arguments name, every member hashed as it is read (as the store records
    /// it) unless `hashing` is false; each member skipped is reported on standard error as it happens.
    public func open(program: String, hashing: Bool = true) throws -> Corpus {
        let corpus = hashing ? try Corpus(hashing: files, lenient: lenient) : try Corpus(files, lenient: lenient)
        corpus.onSkip = { member in Output.note("\(program): skipped \(member.skipped ?? member.path)") }
        return corpus
    }

    /// The model name a trainer takes when `--name` is not given: its first text's base name.
    public var defaultName: String { defaultModelName(corpus: files.first ?? "-") }
}
