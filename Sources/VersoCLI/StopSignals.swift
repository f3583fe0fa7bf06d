// Ctrl-C and SIGTERM for commands that train or write: caught, turned into a StopRequest the
// library polls, and reported as one line with what was kept and how to go on.
import ArgumentParser
import CProcess
import Foundation
import VersoStore

public enum StopSignals {
    /// Catches SIGINT and SIGTERM from here on (a second one ends the process at once) and
    /// returns the request long work polls. Only commands that train or write call it: in a query,
    /// Ctrl-C ends the process on the spot. (`Verso.startProcess` routes the signals first.)
    public static func catchForLongWork() -> StopRequest {
        verso_catch_stop_signals()
        return StopRequest { verso_stop_signal() }
    }

    /// One line on standard error, `PROGRAM: interrupted (SIGINT): KEPT; NEXT`, and the exit
    /// status of the signal (130 or 143) for the command to throw.
    public static func report(_ interrupted: Interrupted, next: String) -> ExitCode {
        if Output.stderrIsTTY { Output.progress(nil) }
        let names: [Int32: String] = [2: "SIGINT", 15: "SIGTERM"]
        let name = names[interrupted.signal] ?? "signal \(interrupted.signal)"
        Output.note("\(programName): interrupted (\(name)): \(interrupted.kept); \(next)")
        return ExitCode(interrupted.exitStatus)
    }

    /// Runs work that keeps nothing when it is stopped (it writes in one transaction at its end):
    /// Ctrl-C or SIGTERM ends it at its next safe point with one line and the signal's status.
    public static func whileCatching<T>(_ work: (StopRequest) throws -> T) throws -> T {
        let stop = catchForLongWork()
        do { return try work(stop) } catch let interrupted as Interrupted {
            throw report(interrupted, next: startAgain)
        }
    }

    /// What to print when nothing was kept: the command line as it was run.
    public static var startAgain: String { "to start again: " + shellWords(CommandLine.arguments) }

    /// The program as the user ran it (a path stays a path, so the line can be pasted back).
    public static var program: String { shellWords([CommandLine.arguments.first ?? programName]) }

    static var programName: String {
        String((CommandLine.arguments.first ?? "verso").split(separator: "/").last ?? "verso")
    }

    /// Words quoted for a POSIX shell where they need it.
    public static func shellWords(_ words: [String]) -> String {
        let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%")
        return words.map { word in
            !word.isEmpty && word.allSatisfy(plain.contains)
                ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}
