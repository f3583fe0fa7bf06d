// The fast tokenizer against ICU alone, token for token: on every line of the shipped corpora and
// on text made to sit on the edges of the word-break rules.
import Foundation
import Testing
@testable import VersoText

/// The repository's corpora/ folder, found from this file's path.
let shippedCorpora = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("corpora").path

/// The first line where the two paths disagree, described, or nil.
func firstDifference(_ tokenizer: WordTokenizer, lines: [String]) throws -> String? {
    for line in lines {
        var fast: [String] = []
        try tokenizer.tokenize(line) { fast.append($0) }
        var reference: [String] = []
        try tokenizer.tokenizeWithICU(line) { reference.append($0) }
        if fast != reference { return "line \(line.debugDescription): fast \(fast), ICU \(reference)" }
    }
    return nil
}

let fastPathOptions: [WordTokenizer.Options] = [
    .init(), .init(keepCase: true), .init(numbers: .map("<num>")), .init(numbers: .drop),
]

@Suite struct FastPathTests {
    @Test(arguments: ["poetry.txt", "refranes.txt", "biblia-rv1909.txt", "novelas-conha19.txt.xz"])
    func sameTokensAsICUOnShippedCorpus(_ file: String) throws {
        var lines: [String] = []
        try CorpusReader(path: shippedCorpora + "/" + file).forEachLine { lines.append($0) }
        #expect(lines.count > 4000)
        // The 30 MB of novels through ICU takes seconds per option set: two of them there.
        for options in file.hasSuffix(".xz") ? [fastPathOptions[0], fastPathOptions[2]] : fastPathOptions {
            let tokenizer = try WordTokenizer(options)
            #expect(tokenizer.hasFastPath)
            let difference = try firstDifference(tokenizer, lines: lines)
            #expect(difference == nil, "options \(options): \(difference ?? "")")
        }
    }

    @Test func sameTokensOnTheEdgesOfTheRules() throws {
        let edges = [
            "l'amour l’été rock'n'roll 'quoted' end' x'", "3.14 3,5 1.000.000 2,a a,2 a.b.c a..b .5 5. ,5",
            "abc123 12abc a1.2 1a.b 1º 2ª 3ª.", "col·lecció l·l ·a a· 10:30 a:b", "STRASSE Straße ŉ ǅ ſ µ İ",
            "«¿Qué?» —dijo— “sí” ‘no’ … ¡ya! ¿y? 20% $5 €3 #1 a_b _a", "tab\there nbsp\u{A0}here \u{2002}x",
            "e\u{301}té cafe\u{301} \u{301}x a\u{200B}b a\u{AD}b año\u{202F}pasado", "ǲ ǳ Ǳ ΣΑΣ ς ΐ Ǆ",
            "日本語 テスト 한국어 ไทย עברית \"א", "👍🏽 a👍 ©2024 ®", "10\u{202F}000 a\u{2024}b 1\u{2024}2",
        ]
        for options in fastPathOptions {
            let difference = try firstDifference(try WordTokenizer(options), lines: edges)
            #expect(difference == nil, "options \(options): \(difference ?? "")")
        }
    }

    /// The fast path is not a no-op: a plain Spanish line never reaches ICU's break iterator.
    @Test func plainSpanishNeedsNoICU() throws {
        let table = FastWordTable.folding
        for scalar in "¿Dónde está el Rey? «Año 1605» —dijo— l’été, 3,5".unicodeScalars where scalar != " " {
            let slot = try #require(FastWordTable.slot(scalar.value))
            #expect(table.roles[slot] != .unknown, "U+\(String(scalar.value, radix: 16)) is unknown")
        }
        #expect(table.roles[FastWordTable.slot(0x301)!] == .unknown)  // a combining mark goes to ICU
    }
}

/// The fast grapheme path against ICU alone (NFC, then its grapheme breaker), symbol for symbol.
@Suite struct FastGraphemeTests {
    func firstDifference(_ lines: [String]) throws -> String? {
        let pipeline = try CharacterPipeline()
        for line in lines {
            let fast = try pipeline.symbols(of: line)
            let reference = try pipeline.symbolsWithICU(of: line)
            if fast != reference { return "line \(line.debugDescription): fast \(fast), ICU \(reference)" }
        }
        return nil
    }

    @Test(arguments: ["poetry.txt", "refranes.txt", "biblia-rv1909.txt", "novelas-conha19.txt.xz"])
    func sameSymbolsAsICUOnShippedCorpus(_ file: String) throws {
        var lines: [String] = []
        try CorpusReader(path: shippedCorpora + "/" + file).forEachLine { lines.append($0) }
        let difference = try firstDifference(lines)
        #expect(difference == nil, "\(difference ?? "")")
    }

    @Test func sameSymbolsOnTheEdgesOfTheRules() throws {
        let edges = [
            "cafe\u{301} e\u{301}\u{302} \u{301}x a\u{200D}b 👩🏽‍🚀 🇪🇸🇫🇷 x\r\ny \r \t\u{1}", "ñ n\u{303} Å A\u{30A} Ω Ω ﬁ",
            "한국어 \u{1100}\u{1161}\u{11A8} ก่า नमस्ते क्षि \u{600}1 \u{E000}", "«¿Qué?» —dijo— “sí” … ©® ™ €",
            "a\u{AD}b a\u{200B}b \u{FEFF}x \u{2028} \u{85}", "ǅ Ǆ ǆ ΐ ς İ ß ẞ µ",
        ]
        let difference = try firstDifference(edges)
        #expect(difference == nil, "\(difference ?? "")")
    }

    /// A corpus read in blocks on two threads is the corpus read line by line through ICU alone.
    @Test func encodedCorpusIsTheLineByLineText() throws {
        let path = shippedCorpora + "/poetry.txt"
        let pipeline = try CharacterPipeline()
        var reference: [String] = []
        try CorpusReader(path: path).forEachPiece { newlineBefore, line in
            if newlineBefore { reference.append("\n") }
            reference += try pipeline.symbolsWithICU(of: line)
        }
        for threads in [1, 2] {
            let corpus = try EncodedSymbols.read(path: path, threads: threads)
            #expect(corpus.strings == reference, "threads \(threads)")
            #expect(corpus.table.counts.reduce(0, +) == reference.count)
        }
    }
}
