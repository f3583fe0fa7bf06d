// Stop strings: a sample ends before the first one it produces, even across generated symbols.
import Testing
import VersoText

@Suite struct StopStringsTests {
    /// Feeds `pieces` one at a time and returns what was printed and which stop string ended it.
    func run(_ pieces: [String], _ stops: [String]) -> (printed: String, stopped: String?) {
        var stopper = StopStrings(stops)
        var printed = ""
        for piece in pieces {
            printed += stopper.add(piece)
            if stopper.stopped != nil { break }
        }
        if stopper.stopped == nil { printed += stopper.flush() }
        return (printed, stopper.stopped)
    }

    @Test func aStopSpanningSymbolsEndsTheTextBeforeIt() {
        #expect(run(["a", "b", "\n", "\n", "c"], ["\n\n"]) == ("ab", "\n\n"))
        #expect(run(["El", " fin", ".\n", "\nOtro"], ["\n\n"]) == ("El fin.", "\n\n"))
        #expect(run(["xy", "FI", "N", "z"], ["FIN"]) == ("xy", "FIN"))
    }

    /// What might start a stop string is held back, and handed over once it cannot.
    @Test func aPartialStopIsHeldBackThenPrinted() {
        var stopper = StopStrings(["FIN"])
        #expect(stopper.add("aF") == "a")
        #expect(stopper.add("I") == "")
        #expect(stopper.add("x") == "FIx")
        #expect(stopper.add("F") == "")
        #expect(stopper.flush() == "F")
        #expect(stopper.stopped == nil)
    }

    /// The earliest stop wins, whichever is listed first; multi-byte characters stay whole.
    @Test func theEarliestOfSeveralStopsWins() {
        #expect(run(["canción. ¿", "Qué? FIN"], ["FIN", "¿"]) == ("canción. ", "¿"))
        #expect(run(["niño", "ñ"], ["ña"]) == ("niñoñ", nil))
        #expect(run(["abc"], []) == ("abc", nil))
        #expect(run(["abc"], [""]) == ("abc", nil))
    }
}
