// Golden outputs for normalization: NFC/NFKC, case folding and accent stripping.
import Testing
@testable import VersoText

@Suite struct NormalizerTests {
    @Test func nfkcCaseFoldFoldsSharpSAndFullwidth() throws {
        let n = try Normalizer(.init(form: .nfkc, caseFold: true))
        #expect(try n.normalize("Straße ＲＥＹ") == "strasse rey")
    }

    @Test func nfcComposesCombiningMarks() throws {
        let n = try Normalizer()
        let decomposed = "Jose\u{301} Mun\u{303}oz"  // e + combining acute, n + combining tilde
        let out = try n.normalize(decomposed)
        #expect(out == "José Muñoz")
        #expect(Array(out.unicodeScalars).count == 10)  // composed: one scalar per letter
    }

    @Test func nfcKeepsCompatibilityCharactersNFKCDoesNot() throws {
        #expect(try Normalizer(.init(form: .nfc)).normalize("ﬁn ①") == "ﬁn ①")
        #expect(try Normalizer(.init(form: .nfkc)).normalize("ﬁn ①") == "fin 1")
    }

    @Test func stripAccentsKeepsBaseLetters() throws {
        let n = try Normalizer(.init(caseFold: true, stripAccents: true))
        #expect(try n.normalize("¿Dónde está el Niño? Ü") == "¿donde esta el nino? u")
        #expect(try n.normalize("Ærø") == "ærø")  // æ and ø are letters, not accented ones
    }

    @Test func germanAndGreekFolding() throws {
        let n = try Normalizer(.init(caseFold: true))
        #expect(try n.normalize("GROẞE Größe") == "grosse grösse")
        #expect(try n.normalize("ΣΊΣΥΦΟΣ") == "σίσυφοσ")  // full case folding: final sigma folds to σ
    }

    @Test func emojiAndEmptyPassThrough() throws {
        let n = try Normalizer(.init(caseFold: true))
        #expect(try n.normalize("") == "")
        #expect(try n.normalize("👩🏽‍🚀 Hola") == "👩🏽‍🚀 hola")
        #expect(try n.normalize("ASCII Only") == "ascii only")
    }
}
