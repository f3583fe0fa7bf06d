// A corpus as character-model symbol ids, read on several threads: distinct symbols in first-seen
// order, their counts, and the text as ids — one String per distinct symbol, not per character.

/// Interns symbols: one-character symbols by table slot (an array lookup), others by String.
public struct SymbolTable: Sendable {
    private var bySlot = [Int32](repeating: -1, count: FastWordTable.size)
    private var byString: [String: Int32] = [:]
    public private(set) var symbols: [String] = []
    public private(set) var counts: [Int] = []

    public init() {}

    @inline(__always)
    mutating func id(slot: Int, occurrences: Int = 1) -> Int32 {
        let known = bySlot[slot]
        if known >= 0 {
            counts[Int(known)] += occurrences
            return known
        }
        let id = add(FastGraphemeTable.shared.strings[slot], occurrences)
        bySlot[slot] = id
        return id
    }

    mutating func id(_ symbol: String, occurrences: Int = 1) -> Int32 {
        if let known = byString[symbol] {
            counts[Int(known)] += occurrences
            return known
        }
        let id = add(symbol, occurrences)
        byString[symbol] = id
        return id
    }

    /// The id of a symbol found by either path: one character of the table goes by its slot.
    mutating func id(any symbol: String, occurrences: Int) -> Int32 {
        if let slot = FastGraphemeTable.shared.slot(ofSingle: symbol) {
            return id(slot: slot, occurrences: occurrences)
        }
        return id(symbol, occurrences: occurrences)
    }

    private mutating func add(_ symbol: String, _ occurrences: Int) -> Int32 {
        symbols.append(symbol)
        counts.append(occurrences)
        return Int32(symbols.count - 1)
    }
}

/// A corpus's symbols (lines joined by "\n") as ids into `table`.
public struct EncodedSymbols: Sendable {
    public var table = SymbolTable()
    public var ids: [Int32] = []
    var endsInsideLine = false  // a block cut inside an over-long line, which the next one continues

    /// The symbols, one String each (small strings: no allocation per symbol).
    public var strings: [String] { ids.map { table.symbols[Int($0)] } }

    /// Reads the corpus at `path` with `threads` threads; the result does not depend on how many.
    public static func read(path: String, lenient: Bool = false, threads: Int = 1) throws -> EncodedSymbols {
        try read(Corpus([path], lenient: lenient), threads: threads)
    }

    /// Reads `text` with `threads` threads; the result does not depend on how many.
    public static func read(_ text: Corpus, threads: Int = 1) throws -> EncodedSymbols {
        var corpus = EncodedSymbols()
        // At most one symbol per byte: reserving that (for plain files) spares copies of a growing array.
        corpus.ids.reserveCapacity(CorpusMembers.totalSize(text.paths))
        try forEachBlock(text, threads: threads) { block in
            // Block ids are local: its symbols, in first-seen order, get the corpus's ids.
            let global = zip(block.table.symbols, block.table.counts).map { corpus.table.id(any: $0, occurrences: $1) }
            corpus.ids.append(contentsOf: block.ids.lazy.map { global[Int($0)] })
        }
        return corpus
    }

    /// Streams `text` in blocks of lines, in order, each with its own table; a block after the
    /// first starts with the "\n" that ends the line before it (unless it goes on with a line
    /// over 1 MiB, which blocks cut after a space, as the reader cuts it in pieces).
    public static func forEachBlock(
        _ text: Corpus, threads: Int = 1, _ body: (EncodedSymbols) throws -> Void
    ) throws {
        let reader = text.reader()
        let pipelines = UncheckedList(items: try (0..<max(threads, 1)).map { _ in try CharacterPipeline() })
        var first = true
        var continues = false
        try BlockRounds.run(
            reader: reader, workers: pipelines.items.count, size: 1 << 20, joiningPieces: true,
            work: { k, block in try EncodedSymbols.encode(block, with: pipelines.items[k]) },
            consume: { block in
                var block = block
                if !first && !continues { block.ids.insert(block.table.id("\n"), at: 0) }
                first = false
                continues = block.endsInsideLine
                try body(block)
            })
    }

    /// One block of "\n"-ended lines: the lines' symbols with "\n" between them.
    static func encode(_ block: [UInt8], with pipeline: CharacterPipeline) throws -> EncodedSymbols {
        var out = EncodedSymbols()
        out.ids.reserveCapacity(block.count)
        out.endsInsideLine = block.last != 0x0A
        try block.withUnsafeBufferPointer { all in
            var start = 0
            while start < all.count {
                var end = start
                while end < all.count && all[end] != 0x0A { end += 1 }  // the last may be cut, without "\n"
                if start > 0 { out.ids.append(out.table.id("\n")) }
                try pipeline.forEachSymbol(
                    UnsafeBufferPointer(rebasing: all[start..<end]),
                    single: { out.ids.append(out.table.id(slot: $0)) },
                    other: { out.ids.append(out.table.id($0)) })
                start = end + 1
            }
        }
        return out
    }
}
