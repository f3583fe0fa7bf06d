// Pass one over a corpus: tokens to integer ids in a temporary file, counted, in bounded memory,
// tokenized on several threads.
import Foundation
import VersoText

/// The corpus as Int32 ids (of every distinct word, in first-seen order) with −1 ending each
/// line, written to a temporary file and memory-mapped for training, so a corpus larger than
/// memory trains from the page cache. `remap` turns raw ids into vocabulary ids (−1: dropped).
public final class EncodedCorpus: @unchecked Sendable {
    public let rawWords: [String]
    public let rawCounts: [Int]
    public let tokenCount: Int  // words, not counting line ends
    public let lines: Int
    public let replacements: Int
    let path: String
    let base: UnsafeMutableRawPointer?
    let length: Int  // ids in the file, line ends included

    public static let lineEnd: Int32 = -1

    /// Tokenizes `text` on `threads` threads (the ids do not depend on how many);
    /// `progress` gets (bytes read, corpus size) now and then.
    public init(
        _ text: Corpus, options: WordTokenizer.Options, threads: Int = 1, progress: ((Int, Int) -> Void)? = nil
    ) throws {
        let reader = text.reader()
        let tokenizer = try ParallelTokenizer(reader: reader, options: options, threads: threads)
        let path = NSTemporaryDirectory() + "verso-w2v-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).ids"
        self.path = path
        guard let out = fopen(path, "wb") else { throw EncodedCorpus.scratchError(path) }
        var words = TokenTable(capacity: 1 << 16)
        var tokens = 0, lines = 0, written = 0
        var lastWritten: Int32?
        do {
            try tokenizer.forEachBlock { block in
                // The block's ids are local to it; its tokens, taken in their first-seen order,
                // get the corpus's ids, so those too are in first-seen order.
                let global = (0..<block.tokens.count).map { local in
                    block.tokens.withToken(local) { words.add($0, occurrences: block.tokens.counts[local]) }
                }
                // A line without tokens leaves no trace: line ends only follow words.
                var ids: [Int32] = []
                ids.reserveCapacity(block.ids.count)
                for local in block.ids {
                    if local >= 0 {
                        ids.append(global[Int(local)])
                    } else if let last = ids.last ?? lastWritten, last != EncodedCorpus.lineEnd {
                        ids.append(EncodedCorpus.lineEnd)
                        lines += 1
                    }
                }
                lastWritten = ids.last ?? lastWritten
                // An unchecked short write would leave the mapping longer than the file: a SIGBUS later.
                let ok = ids.withUnsafeBytes { $0.isEmpty || fwrite($0.baseAddress, 1, $0.count, out) == $0.count }
                guard ok else { throw EncodedCorpus.scratchError(path) }
                written += ids.count
                tokens += block.tokenCount
                progress?(reader.consumedBytes, reader.fileSize)
            }
            guard fflush(out) == 0 else { throw EncodedCorpus.scratchError(path) }
        } catch {
            fclose(out)
            unlink(path)
            throw error
        }
        fclose(out)
        rawWords = words.tokens
        rawCounts = words.counts
        tokenCount = tokens
        self.lines = lines
        replacements = reader.replacements
        length = written
        base = try EncodedCorpus.map(path, ids: written)
    }

    /// Documents as lines: each document's words (tokenized already) become one line of ids, so
    /// that word2vec's loop trains them and PV-DBOW knows where each one starts. Every document
    /// must hold a word.
    public convenience init(documents: [[String]]) throws {
        precondition(documents.allSatisfy { !$0.isEmpty }, "a document without words")
        var index: [String: Int32] = [:], words: [String] = [], counts: [Int] = []
        var ids: [Int32] = []
        ids.reserveCapacity(documents.reduce(0) { $0 + $1.count + 1 })
        for document in documents {
            for word in document {
                let id: Int32
                if let known = index[word] {
                    id = known
                    counts[Int(id)] += 1
                } else {
                    id = Int32(words.count)
                    index[word] = id
                    words.append(word)
                    counts.append(1)
                }
                ids.append(id)
            }
            ids.append(EncodedCorpus.lineEnd)
        }
        try self.init(ids: ids, words: words, counts: counts, replacements: 0)
    }

    /// A corpus already in ids (−1 ending each line) with its words and their counts, as the phrase
    /// joiner leaves it.
    init(ids: [Int32], words: [String], counts: [Int], replacements: Int) throws {
        let path = NSTemporaryDirectory() + "verso-ids-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).ids"
        self.path = path
        guard let out = fopen(path, "wb") else { throw EncodedCorpus.scratchError(path) }
        let ok = ids.withUnsafeBytes { $0.isEmpty || fwrite($0.baseAddress, 1, $0.count, out) == $0.count }
        guard ok, fflush(out) == 0 else {
            fclose(out)
            unlink(path)
            throw EncodedCorpus.scratchError(path)
        }
        fclose(out)
        rawWords = words
        rawCounts = counts
        lines = ids.reduce(0) { $0 + ($1 == EncodedCorpus.lineEnd ? 1 : 0) }
        tokenCount = ids.count - lines
        self.replacements = replacements
        length = ids.count
        base = try EncodedCorpus.map(path, ids: ids.count)
    }

    /// Maps the scratch file of `ids` ids read-only and removes its name (the mapping keeps the
    /// data, so no temporary file outlives the process); nil for an empty file.
    private static func map(_ path: String, ids: Int) throws -> UnsafeMutableRawPointer? {
        defer { unlink(path) }
        guard ids > 0 else { return nil }
        let fd = open(path, O_RDONLY)
        let p = mmap(nil, ids * 4, PROT_READ, MAP_PRIVATE, fd, 0)
        close(fd)
        guard let p, p != MAP_FAILED else { throw EncodedCorpus.scratchError(path) }
        return p
    }

    deinit { if let base { munmap(base, length * 4) } }

    /// The scratch file's failure in one line: where it was, why, and how much room is left there.
    static func scratchError(_ path: String) -> VectorFileError {
        let reason = String(cString: strerror(errno))
        let folder = (path as NSString).deletingLastPathComponent
        var fs = statvfs()
        let free = statvfs(folder, &fs) == 0 ? " (\(UInt64(fs.f_bavail) * UInt64(fs.f_frsize) >> 20) MB free)" : ""
        return VectorFileError(
            "cannot write the corpus's token file in \(folder)\(free): \(reason); "
                + "point TMPDIR at a folder with room (it needs 4 bytes per word)")
    }

    public var ids: UnsafePointer<Int32> { UnsafePointer(base!.assumingMemoryBound(to: Int32.self)) }
    public var isEmpty: Bool { length == 0 }
    /// Ids in the corpus, line ends included.
    public var idCount: Int { length }

    /// Raw id → vocabulary id, −1 for words the vocabulary dropped.
    public func remap(to vocabulary: W2VVocabulary) -> [Int32] {
        rawWords.map { vocabulary.index[$0] ?? -1 }
    }

    public var counts: [String: Int] {
        var d: [String: Int] = [:]
        d.reserveCapacity(rawWords.count)
        for (w, c) in zip(rawWords, rawCounts) { d[w] = c }
        return d
    }
}
