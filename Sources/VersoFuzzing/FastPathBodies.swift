// The fast paths against ICU alone on arbitrary bytes: word tokens under each option set the fast
// path serves, and grapheme clusters. Shared by the libFuzzer target FuzzTokens and the replay of Fuzz/corpus/tokens.
import VersoText

extension FuzzBodies {
    nonisolated(unsafe) static let fastWordTokenizers = try! [
        WordTokenizer(), WordTokenizer(.init(keepCase: true)), WordTokenizer(.init(numbers: .map("<num>"))),
        WordTokenizer(.init(numbers: .drop)),
    ]
    nonisolated(unsafe) static let characterPipeline = try! CharacterPipeline()

    /// Any bytes, decoded as Swift decodes them (bad sequences become U+FFFD) and cut into lines as
    /// the corpus reader cuts them: the fast tokenizer must give ICU's tokens, one for one.
    public static func fastPaths(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            for tokenizer in fastWordTokenizers {
                var fast: [String] = []
                var reference: [String] = []
                do {
                    try tokenizer.tokenize(line) { fast.append($0) }
                    try tokenizer.tokenizeWithICU(line) { reference.append($0) }
                } catch {
                    continue  // ICU refused the input: an error, the same on both paths
                }
                precondition(
                    fast == reference,
                    "fast path \(fast) != ICU \(reference) for \(line.debugDescription), \(tokenizer.options)")
            }
            guard let fast = try? characterPipeline.symbols(of: line),
                let reference = try? characterPipeline.symbolsWithICU(of: line)
            else { continue }
            precondition(fast == reference, "fast graphemes \(fast) != ICU \(reference) for \(line.debugDescription)")
        }
    }
}
