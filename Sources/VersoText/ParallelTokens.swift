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

    /// Calls `body` with each block's tokens, in file order. Work goes in rounds, each of them
    /// at once: tokenize this round's blocks (a thread each), read the next round's, and hand the
    /// last round's to `body` — so reading and whatever `body` does overlap the tokenizing.
    public func forEachBlock(_ body: (TokenizedBlock) throws -> Void) throws {
        try withoutActuallyEscaping(body) { body in
            let round = Round(consume: body)
            try round.read(reader, blocks: tokenizers.count, size: blockSize)
            while !round.blocks.isEmpty || !round.done.isEmpty {
                let tokenizers = self.tokenizers
                let reader = self.reader
                let (blocks, done) = (round.blocks, round.done)
                round.results = Array(repeating: nil, count: blocks.count)
                round.blocks = []
                let shared = Unchecked(round: round, blocks: blocks, done: done, tokenizers: tokenizers, reader: reader)
                let size = blockSize
                DispatchQueue.concurrentPerform(iterations: blocks.count + 2) { k in
                    let r = shared.round
                    if k < shared.blocks.count {
                        let result = Result {
                            try ParallelTokenizer.tokenize(shared.blocks[k], with: shared.tokenizers[k])
                        }
                        r.setResult(k, result)
                    } else if k == shared.blocks.count {
                        r.readError = Result { try r.read(shared.reader, blocks: shared.tokenizers.count, size: size) }
                    } else {
                        r.consumeError = Result { for block in shared.done { try r.consume(block) } }
                    }
                }
                try round.readError.get()
                try round.consumeError.get()
                round.done = try round.results.map { try $0!.get() }
            }
        }
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

/// The state of the rounds: each field is touched by one task of a round only.
private final class Round: @unchecked Sendable {
    let consume: (TokenizedBlock) throws -> Void
    var blocks: [[UInt8]] = []  // read, to tokenize next round
    var done: [TokenizedBlock] = []  // tokenized, to hand on next round
    var results: [Result<TokenizedBlock, Error>?] = []
    var readError: Result<Void, Error> = .success(())
    var consumeError: Result<Void, Error> = .success(())

    init(consume: @escaping (TokenizedBlock) throws -> Void) { self.consume = consume }

    func read(_ reader: CorpusReader, blocks count: Int, size: Int) throws {
        while blocks.count < count, let block = try reader.nextBlock(size: size) { blocks.append(block) }
    }

    func setResult(_ k: Int, _ result: Result<TokenizedBlock, Error>) {
        results.withUnsafeMutableBufferPointer { $0[k] = result }
    }
}

/// What a round's tasks share; each reads its own part.
private struct Unchecked: @unchecked Sendable {
    let round: Round
    let blocks: [[UInt8]]
    let done: [TokenizedBlock]
    let tokenizers: [WordTokenizer]
    let reader: CorpusReader
}
