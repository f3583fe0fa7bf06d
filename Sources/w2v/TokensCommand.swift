// `w2v tokens FILE`: the word tokens training would see, one input line per output line.
import ArgumentParser
import Foundation
import VersoCLI
import VersoText

struct TokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Print the word tokens of FILE as training sees them (space-separated, a line per input line).")

    @Argument(
        help: "The corpus: a UTF-8 text file (.gz, .xz, .bz2 read as streams), a folder of .txt files, or - (stdin).")
    var file: String
    @Flag(help: "Keep letter case (default: Unicode case folding).") var keepCase = false
    @Flag(help: "Strip accents (NFD, drop nonspacing marks).") var stripAccents = false
    @Flag(help: "Replace invalid UTF-8 with U+FFFD instead of failing.") var lenient = false
    @Flag(help: "Print only the number of lines and tokens.") var count = false

    func run() throws {
        let reader = try CorpusReader(path: file, lenient: lenient)
        let tokenizer = try WordTokenizer(.init(keepCase: keepCase, stripAccents: stripAccents))
        var lines = 0, tokens = 0
        var out = ""
        out.reserveCapacity(1 << 16)
        try reader.forEachLine { line in
            lines += 1
            var first = true
            try tokenizer.tokenize(line) { token in
                tokens += 1
                if count { return }
                if !first { out += " " }
                out += token
                first = false
            }
            if !count {
                out += "\n"
                if out.utf8.count > 1 << 16 {
                    FileHandle.standardOutput.write(Data(out.utf8))
                    out.removeAll(keepingCapacity: true)
                }
            }
        }
        if count { print("\(lines) lines, \(tokens) tokens") } else { FileHandle.standardOutput.write(Data(out.utf8)) }
        if reader.replacements > 0 {
            Output.note("w2v: replaced \(reader.replacements) invalid UTF-8 sequences with U+FFFD")
        }
    }
}
