// `charnn symbols FILE`: the symbols (NFC grapheme clusters) a character model sees, and their counts.
import ArgumentParser
import Foundation
import VersoCLI
import VersoText

struct SymbolsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "symbols",
        abstract: "Print the symbols of the text as char-RNN and Markov training see them (NFC grapheme clusters).",
        discussion: "Without --count: the text as symbols, one per line, with \\n written as ⏎.")

    @OptionGroup var text: CorpusArguments
    @Flag(help: "Print only the number of symbols and of distinct ones (the vocabulary).") var count = false
    @Flag(help: "Segment with ICU alone, without the fast path (the reference it is tested against).")
    var icuOnly = false
    @Option(help: "Threads (default: all cores); the output does not depend on it.") var threads: Int?
    @Flag(help: "Print JSON (with --count).") var json = false

    func validate() throws {
        try text.requireFiles()
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let symbols: [String]
        let distinct: Int
        if icuOnly {
            let pipeline = try CharacterPipeline()
            var all: [String] = []
            try text.open(program: "charnn", hashing: false).reader().forEachPiece { newlineBefore, line in
                if newlineBefore { all.append("\n") }
                all += try pipeline.symbolsWithICU(of: line)
            }
            symbols = all
            distinct = Set(all).count
        } else {
            let corpus = try EncodedSymbols.read(
                try text.open(program: "charnn", hashing: false),
                threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
            symbols = count ? [] : corpus.strings
            distinct = corpus.table.symbols.count
            if count { return try report(corpus.ids.count, distinct) }
        }
        if count { return try report(symbols.count, distinct) }
        var out = ""
        out.reserveCapacity(1 << 17)
        for symbol in symbols {
            out += symbol == "\n" ? "⏎" : symbol
            out += "\n"
            if out.utf8.count >= 1 << 16 {
                FileHandle.standardOutput.write(Data(out.utf8))
                out.removeAll(keepingCapacity: true)
            }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    private func report(_ symbols: Int, _ distinct: Int) throws {
        struct Counts: Encodable {
            let symbols: Int
            let distinct: Int
        }
        if json { return try Output.json(Counts(symbols: symbols, distinct: distinct)) }
        print("\(symbols) symbols, \(distinct) distinct")
    }
}
