// Tokenizing a corpus on several threads: blocks of whole lines tokenized side by side and handed
// on in file order, so the ids, counts and tokens are the same for any number of threads.
import Dispatch

/// One block of a corpus, tokenized: its distinct tokens in first-seen order with their counts,
/// and the block as ids into them with `lineEnd` after each line (empty lines too).
public struct TokenizedBlock: Sendable {
    public var tokens = TokenTable(capacity: 1 << 15)
    public var ids: [Int32] = []
    public var lines = 0
    public var tokenCount: Int { ids.count - lines }
    public static let lineEnd: Int32 = -1
}

/// Reads a corpus in blocks of lines and tokenizes up to `threads` blocks at once, one
/// `WordTokenizer` per thread; reading and checking the bytes stays on the calling thread.
public final class ParallelTokenizer {
    public let reader: CorpusReader
    private let tokenizers: [WordTokenizer]
    private let blockSize: Int

    public init(reader: CorpusReader, options: WordTokenizer.Options, threads: Int, blockSize: Int = 2 << 20) throws {
        self.reader = reader
        tokenizers = try (0..<max(threads, 1)).map { _ in try WordTokenizer(options) }
        self.blockSize = blockSize
    }

    /// Calls `body` with each block's tokens, in file order.
    public func forEachBlock(_ body: (TokenizedBlock) throws -> Void) throws {
        let tokenizers = UncheckedList(items: self.tokenizers)
        try BlockRounds.run(
            reader: reader, workers: tokenizers.items.count, size: blockSize,
            work: { k, block in try ParallelTokenizer.tokenize(block, with: tokenizers.items[k]) }, consume: body)
    }

    /// The tokens of one block of "\n"-ended lines.
    public static func tokenize(_ block: [UInt8], with tokenizer: WordTokenizer) throws -> TokenizedBlock {
        var out = TokenizedBlock()
        out.ids.reserveCapacity(block.count / 5)
        try block.withUnsafeBufferPointer { all in
            var start = 0
            while start < all.count {
                var end = start
                while all[end] != 0x0A { end += 1 }  // every line of a block ends with "\n"
                try tokenizer.tokenize(utf8: UnsafeBufferPointer(rebasing: all[start..<end])) { token in
                    out.ids.append(out.tokens.add(token))
                }
                out.ids.append(TokenizedBlock.lineEnd)
                out.lines += 1
                start = end + 1
            }
        }
        return out
    }
}
