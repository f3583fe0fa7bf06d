// Reading a corpus in blocks of lines and working on several blocks at once, with results handed
// on in file order: the parallel half of word tokenizing and of character encoding.
import Dispatch

/// Runs in rounds, each of them at once: `work` on this round's blocks (a worker each), reading
/// the next round's blocks, and `consume` of the last round's results, in order. Reading and
/// consuming thus overlap the work, and the results do not depend on the number of workers.
enum BlockRounds {
    static func run<Output>(
        reader: CorpusReader, workers: Int, size: Int, joiningPieces: Bool = false,
        work: @escaping @Sendable (Int, [UInt8]) throws -> Output, consume: (Output) throws -> Void
    ) throws {
        try withoutActuallyEscaping(consume) { consume in
            let round = Round<Output>(
                reader: reader, workers: workers, size: size, joiningPieces: joiningPieces, consume: consume)
            try round.read()
            while !round.blocks.isEmpty || !round.done.isEmpty {
                let blocks = round.blocks
                round.blocks = []
                round.results = Array(repeating: nil, count: blocks.count)
                let shared = UncheckedList(items: [round])
                DispatchQueue.concurrentPerform(iterations: blocks.count + 2) { k in
                    let r = shared.items[0]
                    if k < blocks.count {
                        r.set(k, Result { try work(k, blocks[k]) })
                    } else if k == blocks.count {
                        r.readError = Result { try r.read() }
                    } else {
                        r.consumeError = Result { for output in r.done { try r.consume(output) } }
                    }
                }
                try round.readError.get()
                try round.consumeError.get()
                round.done = try round.results.map { try $0!.get() }
            }
        }
    }
}

/// The state of the rounds: in a round, each field is touched by one task only.
private final class Round<Output>: @unchecked Sendable {
    let consume: (Output) throws -> Void
    var blocks: [[UInt8]] = []  // read, for the next round's work
    var done: [Output] = []  // worked on, for the next round's consume
    var results: [Result<Output, Error>?] = []
    var readError: Result<Void, Error> = .success(())
    var consumeError: Result<Void, Error> = .success(())

    let reader: CorpusReader
    let workers: Int, size: Int, joiningPieces: Bool

    init(
        reader: CorpusReader, workers: Int, size: Int, joiningPieces: Bool,
        consume: @escaping (Output) throws -> Void
    ) {
        self.reader = reader
        self.workers = workers
        self.size = size
        self.joiningPieces = joiningPieces
        self.consume = consume
    }

    /// The next round's blocks, one per worker while the corpus lasts.
    func read() throws {
        while blocks.count < workers, let block = try reader.nextBlock(size: size, joiningPieces: joiningPieces) {
            blocks.append(block)
        }
    }

    func set(_ k: Int, _ result: Result<Output, Error>) {
        results.withUnsafeMutableBufferPointer { $0[k] = result }
    }
}

/// Objects handed to the tasks of a round, each used by one task at a time.
struct UncheckedList<Item>: @unchecked Sendable {
    let items: [Item]
}
