// `w2v tokens FILE`: the word tokens training would see, one input line per output line.
import ArgumentParser
import Foundation
import VersoCLI
import VersoText

struct TokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Print the word tokens of the text as training sees them (space-separated, a line per input line).")

    @OptionGroup var text: CorpusArguments
    @Flag(help: "Keep letter case (default: Unicode case folding).") var keepCase = false
    @Flag(help: "Strip accents (NFD, drop nonspacing marks).") var stripAccents = false
    @Flag(help: "Print only the number of lines and tokens.") var count = false
    @Flag(help: "Tokenize with ICU alone, without the fast path (the reference it is tested against).")
    var icuOnly = false
    @Option(help: "Threads (default: all cores); the output does not depend on it.") var threads: Int?

    func validate() throws {
        try text.requireFiles()
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let reader = try text.open(program: "w2v", hashing: false).reader()
        let options = WordTokenizer.Options(keepCase: keepCase, stripAccents: stripAccents)
        if icuOnly { return try printWithICU(reader, options) }
        let tokenizer = try ParallelTokenizer(
            reader: reader, options: options, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        var lines = 0, tokens = 0
        var out: [UInt8] = []
        try tokenizer.forEachBlock { block in
            lines += block.lines
            tokens += block.tokenCount
            if count { return }
            out.removeAll(keepingCapacity: true)
            var lineStart = true
            for id in block.ids {
                if id < 0 {
                    out.append(0x0A)
                    lineStart = true
                    continue
                }
                if !lineStart { out.append(0x20) }
                block.tokens.withToken(Int(id)) { out.append(contentsOf: $0) }
                lineStart = false
            }
            FileHandle.standardOutput.write(Data(out))
        }
        if count { print("\(lines) lines, \(tokens) tokens") }
        noteReplacements(reader)
    }

    /// The reference path: one line at a time through ICU's normalizer and word breaker.
    private func printWithICU(_ reader: CorpusReader, _ options: WordTokenizer.Options) throws {
        let tokenizer = try WordTokenizer(options)
        var lines = 0, tokens = 0
        var out = ""
        try reader.forEachLine { line in
            lines += 1
            var first = true
            try tokenizer.tokenizeWithICU(line) { token in
                tokens += 1
                if count { return }
                if !first { out += " " }
                out += token
                first = false
            }
            if count { return }
            out += "\n"
            if out.utf8.count > 1 << 16 {
                FileHandle.standardOutput.write(Data(out.utf8))
                out.removeAll(keepingCapacity: true)
            }
        }
        if count { print("\(lines) lines, \(tokens) tokens") } else { FileHandle.standardOutput.write(Data(out.utf8)) }
        noteReplacements(reader)
    }

    private func noteReplacements(_ reader: CorpusReader) {
        if reader.replacements > 0 {
            Output.note("w2v: replaced \(reader.replacements) invalid UTF-8 sequences with U+FFFD")
        }
    }
}
