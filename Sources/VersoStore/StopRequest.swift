// A request to stop long work at its next safe point (a Ctrl-C, or a test's own trigger), and
// the error the work throws when it stops that way.

/// Trainers, importers and index builds poll this between units of work (a step, a chunk, a
/// batch of lines) and stop at the first safe point after it is raised. The command line backs it
/// with the process's SIGINT/SIGTERM flag; tests and the server make their own, so nothing in a
/// library reads process-wide state.
public struct StopRequest: Sendable {
    let poll: @Sendable () -> Int32

    /// `poll` returns the signal that asked to stop (2 for SIGINT, 15 for SIGTERM; any non-zero
    /// number for a request without one), or 0 while work should go on.
    public init(poll: @escaping @Sendable () -> Int32) { self.poll = poll }

    /// Work that is never asked to stop.
    public static let never = StopRequest { 0 }

    /// The signal that asked to stop, nil while work should go on.
    public var signal: Int32? {
        let s = poll()
        return s == 0 ? nil : s
    }

    public var isRaised: Bool { poll() != 0 }

    /// Throws `Interrupted` (with `kept`: what the store holds now) when stopping was asked for.
    /// The default is what work that writes one transaction at its end keeps: nothing.
    public func check(kept: @autoclosure () -> String = "nothing was written") throws {
        if let signal { throw Interrupted(signal: signal, kept: kept()) }
    }
}

/// Long work stopped at a safe point on request. `kept` says what the store holds of it, in
/// words ("nothing was written", "the checkpoint at step 1200"); the command adds how to go on.
public struct Interrupted: Error, CustomStringConvertible {
    public let signal: Int32
    public let kept: String
    /// Set by a trainer that kept its work: the step it stopped at, for the command's resume line.
    public var step: Int?

    public init(signal: Int32, kept: String, step: Int? = nil) {
        self.signal = signal
        self.kept = kept
        self.step = step
    }

    public var description: String { "interrupted: \(kept)" }

    /// The exit status a shell gives a process ended by the signal: 130 for SIGINT, 143 for SIGTERM.
    public var exitStatus: Int32 { 128 + signal }
}
