// Generating one sample per temperature on a bounded pool of threads, streaming text as it comes.
import CharRNN
import Dispatch
import Evaluation
import Foundation
import Markov
import Sampling
import VersoRandom
import VersoText

/// What a running sample reports: text as it is made, then its result.
enum SampleProgress: Sendable {
    case text(index: Int, String)
    case result(SampleResult)
}

/// Set when the client has gone: its samples stop at the next symbol.
final class StopSignal: @unchecked Sendable {  // `stopped` is guarded by `lock`
    private let lock = NSLock()
    private var stopped = false

    func stop() { lock.withLock { stopped = true } }
    var isStopped: Bool { lock.withLock { stopped } }
}

/// At most `workers` samples are generated at once, each on a thread of its own (sampling is
/// CPU-bound and would starve the server's event loops); the others wait for a slot in turn.
actor SamplingPool {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(workers: Int) {
        free = max(1, workers)
    }

    private func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }

    func run<T: Sendable>(_ job: @escaping @Sendable () throws -> T) async throws -> T {
        await acquire()
        let result = await withCheckedContinuation { (done: CheckedContinuation<Result<T, any Error>, Never>) in
            DispatchQueue.global().async { done.resume(returning: Result { try job() }) }
        }
        release()
        return try result.get()
    }
}

/// One sample of a request (one temperature, one rng seed): plain values in, a result out,
/// text reported on the way.
struct Generation: Sendable {
    let request: SampleRequest
    let index: Int  // among the request's samples: temperature-major, then count
    let deadline: DispatchTime
    let stop: StopSignal
    let emit: @Sendable (SampleProgress) -> Void

    var settings: SamplingSettings { request.settings }
    var temperature: Double { settings.temperatures[index / settings.count] }
    var rngSeed: UInt64 { settings.rngSeed(ofSample: index % settings.count) }

    func charRNN(_ served: ServedCharModel) throws -> SampleResult {
        var text = TextOut(index: index, emit: emit)
        let budget = SymbolBudget(stop: stop, deadline: deadline)
        if let width = settings.beamWidth {
            let best = try BeamSearch.search(
                served.model.generator, width: width, settings: settings, pipeline: try CharacterPipeline(),
                keepGoing: budget.next)
            for s in best.symbols { text.add(s) }
            var result = finish(text, budget, best, of: settings.length, check: served.check)
            result.logProbability = best.logProbability
            return result
        }
        let sample = try SampleLoop.sample(
            served.model.generator, settings: settings, temperature: temperature, rngSeed: rngSeed,
            pipeline: try CharacterPipeline(), keepGoing: budget.next
        ) { text.add($0) }
        return finish(text, budget, sample, of: settings.length, check: served.check)
    }

    func markov(_ served: ServedMarkovModel) throws -> SampleResult {
        let m = served.model
        var out = TextOut(index: index, emit: emit)
        let budget = SymbolBudget(stop: stop, deadline: deadline)
        switch m.config.unit {
        case .char where settings.beamWidth != nil:
            let best = try BeamSearch.search(
                m, width: settings.beamWidth!, settings: settings, pipeline: try CharacterPipeline(),
                keepGoing: budget.next)
            for s in best.symbols { out.add(s) }
            var result = finish(out, budget, best, of: settings.length, check: served.check)
            result.logProbability = best.logProbability
            return result
        case .char:
            let sample = try SampleLoop.sample(
                m, settings: settings, temperature: temperature, rngSeed: rngSeed, pipeline: try CharacterPipeline(),
                keepGoing: budget.next
            ) { out.add($0) }
            return finish(out, budget, sample, of: settings.length, check: served.check)
        case .word:
            let sample = try m.sentences(
                settings: settings, temperature: temperature, rngSeed: rngSeed, text: try MarkovText(),
                keepGoing: budget.next, emit: { piece in for c in piece { out.add(String(c)) } })
            return finish(out, budget, sample, of: settings.sentences, check: served.check)
        }
    }

    private func finish(
        _ out: TextOut, _ budget: SymbolBudget, _ sample: GeneratedSample, of wanted: Int, check: SampleCheck?
    ) -> SampleResult {
        out.flush()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - budget.start.uptimeNanoseconds) / 1e9
        let generated = min(sample.generated, wanted)
        var result = SampleResult(
            index: index, temperature: temperature, rngSeed: rngSeed, text: out.characters.joined(),
            symbols: generated, seconds: seconds, charsPerSecond: seconds > 0 ? Double(generated) / seconds : 0,
            copied: nil, realWords: nil, copiedSpans: [], copiedSpansUTF16: [],
            stopped: sample.stoppedBy != nil
                ? "stop string" : generated < wanted ? (stop.isStopped ? "client gone" : "time limit") : nil,
            stopString: sample.stoppedBy)
        result.markCopies(check.map { $0.check(out.characters) }, characters: out.characters)
        return result
    }
}

/// Asked before each symbol: false once the client has gone or the time is up. Counts the
/// symbols it let through, from `start`.
final class SymbolBudget {
    let stop: StopSignal
    let deadline: DispatchTime
    let start = DispatchTime.now()
    private(set) var sampled = 0

    init(stop: StopSignal, deadline: DispatchTime) {
        self.stop = stop
        self.deadline = deadline
    }

    func next() -> Bool {
        guard !stop.isStopped && DispatchTime.now() < deadline else { return false }
        sampled += 1
        return true
    }
}

/// The text of a sample as it grows: the first characters go out one by one (the first one soon
/// after the request), then in pieces of 16.
struct TextOut {
    let index: Int
    let emit: @Sendable (SampleProgress) -> Void
    var characters: [String] = []
    var pending = ""

    mutating func add(_ s: String) {
        characters.append(s)
        pending += s
        if characters.count <= 8 || characters.count % 16 == 0 { flushPending() }
    }

    mutating func flushPending() {
        guard !pending.isEmpty else { return }
        emit(.text(index: index, pending))
        pending = ""
    }

    func flush() {
        if !pending.isEmpty { emit(.text(index: index, pending)) }
    }
}
