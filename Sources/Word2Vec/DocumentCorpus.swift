// The documents of a corpus: each file cut into units (file, paragraph, line), with where each came from and its words.
import Foundation
import VersoStore
import VersoText

/// Every document of a corpus in reading order: its source and its word tokens (tokenized as
/// word2vec training tokenizes: ICU word breaks after NFC and, unless `keepCase`, case folding).
public struct DocumentCorpus {
    public var sources: [DocumentSource] = []
    public var tokens: [[String]] = []
    public var count: Int { sources.count }

    /// Reads the members of `corpus` that its reading did not skip, one file at a time. Standard
    /// input is refused: a document's source is a file and an offset in it.
    public static func read(_ corpus: Corpus, unit: DocumentUnit, keepCase: Bool) throws -> DocumentCorpus {
        guard !corpus.paths.contains("-") else {
            throw W2VTrainingError(description: "document vectors read files or folders, not standard input (-)")
        }
        // One pass to hash the members and check them (skipping bad ones with --lenient), as every
        // trainer records its corpus.
        let reader = corpus.reader()
        while try reader.nextBlock(size: 1 << 20) != nil {}
        let skipped = Set(corpus.skipped.map(\.path))
        let tokenizer = try WordTokenizer(.init(keepCase: keepCase))
        var documents = DocumentCorpus()
        for path in corpus.paths where !skipped.contains(path) {
            let text = try CorpusReader.readText(path: path, lenient: corpus.lenient)
            let utf8 = Array(text.utf8)
            for (offset, length) in unit.split(text) {
                let body = String(decoding: utf8[offset..<offset + length], as: UTF8.self)
                documents.sources.append(
                    DocumentSource(
                        path: CorpusInfo.absolute(path), offset: offset, length: length, words: 0,
                        preview: preview(body)))
                documents.tokens.append(try tokenizer.tokenize(body))
            }
        }
        for k in documents.sources.indices { documents.sources[k].words = documents.tokens[k].count }
        return documents
    }

    /// The first words of a document on one line, for listings.
    static func preview(_ text: String, characters: Int = 80) -> String {
        let flat = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" }).joined(separator: " ")
        return flat.count <= characters ? flat : String(flat.prefix(characters - 1)) + "…"
    }

    /// Keeps the documents for which `keep` holds.
    mutating func filter(_ keep: (Int) -> Bool) {
        let kept = sources.indices.filter(keep)
        sources = kept.map { sources[$0] }
        tokens = kept.map { tokens[$0] }
    }
}
