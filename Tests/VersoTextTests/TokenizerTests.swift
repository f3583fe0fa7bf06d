// Golden outputs for ICU word, sentence and grapheme segmentation.
import Testing
@testable import VersoText

@Suite struct TokenizerTests {
    @Test func spanishQuestionFoldsAndDropsPunctuation() throws {
        let t = try WordTokenizer()
        #expect(try t.tokenize("¿Dónde está el REY?") == ["dónde", "está", "el", "rey"])
    }

    @Test func keepCaseOption() throws {
        let t = try WordTokenizer(.init(keepCase: true))
        #expect(try t.tokenize("¡Hola, Mundo!") == ["Hola", "Mundo"])
    }

    @Test func numbersKeptMappedOrDropped() throws {
        let text = "En 1605 salió el Quijote, 3,5 euros."
        #expect(try WordTokenizer().tokenize(text) == ["en", "1605", "salió", "el", "quijote", "3,5", "euros"])
        #expect(
            try WordTokenizer(.init(numbers: .map("<num>"))).tokenize(text)
                == ["en", "<num>", "salió", "el", "quijote", "<num>", "euros"])
        #expect(try WordTokenizer(.init(numbers: .drop)).tokenize(text) == ["en", "salió", "el", "quijote", "euros"])
    }

    @Test func germanApostrophesAndHyphens() throws {
        let t = try WordTokenizer()
        #expect(
            try t.tokenize("Die Straße ist's, nicht Hans-Peter.") == [
                "die", "strasse", "ist's", "nicht", "hans", "peter",
            ])
    }

    @Test func combiningMarksStayInsideWords() throws {
        let t = try WordTokenizer()
        #expect(try t.tokenize("cafe\u{301} con leche") == ["café", "con", "leche"])
    }

    @Test func emojiAndEmptyInputYieldNoWords() throws {
        let t = try WordTokenizer()
        #expect(try t.tokenize("") == [])
        #expect(try t.tokenize("👍🏽 🎉 ... !!") == [])
        #expect(try t.tokenize("hola 👋 mundo") == ["hola", "mundo"])
    }

    @Test func sentencesSplitOnSpanishPunctuation() throws {
        let s = try SentenceSplitter()
        #expect(try s.split("¿Quién es? Es el rey. ¡Viva!") == ["¿Quién es?", "Es el rey.", "¡Viva!"])
        #expect(try s.split("") == [])
    }

    @Test func graphemesKeepClustersWhole() throws {
        let g = try Graphemes()
        #expect(try g.split("ñe\u{301}👩🏽‍🚀!") == ["ñ", "e\u{301}", "👩🏽‍🚀", "!"])
        #expect(try g.split("ab") == ["a", "b"])
        #expect(try g.split("") == [])
    }
}

@Suite struct PunctuationTokenTests {
    @Test func punctuationCanBeKeptForGeneration() throws {
        let t = try WordTokenizer(.init(keepCase: true, punctuation: true))
        #expect(try t.tokenize("¿Dónde está, Rey?") == ["¿", "Dónde", "está", ",", "Rey", "?"])
    }
}

@Suite struct WhitespaceInsideWordsTests {
    /// ICU keeps letters joined across U+202F (ExtendNumLet); a token never holds whitespace.
    @Test func narrowNoBreakSpaceSeparatesWords() throws {
        let t = try WordTokenizer()
        #expect(try t.tokenize("el año\u{202F}pasado") == ["el", "año", "pasado"])
        #expect(try t.tokenize("10\u{202F}000 km") == ["10", "000", "km"])
    }
}
