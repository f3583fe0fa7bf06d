// Ending a generated text at a stop string, without printing any of it, even when a stop string
// spans several generated symbols.

/// Passes generated text through, holding back only what may still turn into a stop string:
/// feed it each piece as it is generated and print what it hands back. When a stop string is
/// complete, `stopped` names it, and nothing of it (nor anything after it) was handed back.
public struct StopStrings: Sendable {
    private let stops: [[UInt8]]
    private var pending: [UInt8] = []
    public private(set) var stopped: String?

    /// `stops` that are empty are ignored.
    public init(_ stops: [String]) {
        self.stops = stops.filter { !$0.isEmpty }.map { Array($0.utf8) }
    }

    public var isEmpty: Bool { stops.isEmpty }

    /// Takes the next generated piece; returns the text now safe to print.
    public mutating func add(_ piece: String) -> String {
        guard stopped == nil else { return "" }
        pending.append(contentsOf: piece.utf8)
        if let (start, stop) = earliestStop() {
            stopped = String(decoding: stop, as: UTF8.self)
            let out = String(decoding: pending[..<start], as: UTF8.self)
            pending.removeAll()
            return out
        }
        let keep = longestPartialStop()
        let out = String(decoding: pending[..<(pending.count - keep)], as: UTF8.self)
        pending.removeFirst(pending.count - keep)
        return out
    }

    /// What is still held back, at the end of a text that did not stop.
    public mutating func flush() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// The first place where a whole stop string occurs in what is held back, and which one.
    private func earliestStop() -> (Int, [UInt8])? {
        var found: (Int, [UInt8])?
        for stop in stops where stop.count <= pending.count {
            for start in 0...(pending.count - stop.count) where found == nil || start < found!.0 {
                if pending[start..<(start + stop.count)].elementsEqual(stop) {
                    found = (start, stop)
                    break
                }
            }
        }
        return found
    }

    /// The length of the longest end of what is held back that begins some stop string.
    private func longestPartialStop() -> Int {
        var longest = 0
        for stop in stops {
            for length in stride(from: min(stop.count - 1, pending.count), to: longest, by: -1)
            where pending[(pending.count - length)...].elementsEqual(stop[..<length]) {
                longest = length
                break
            }
        }
        return longest
    }
}
