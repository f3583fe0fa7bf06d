// A library error's advice as the flag to type: the libraries name settings, the command line names flags.
import ArgumentParser
import VersoText

extension SettingAdvice {
    /// The advice with the command line's flag in it.
    public var flags: String {
        switch self {
        case .lenientSkipsFile: return "--lenient skips the file"
        case .lenientReplacesBytes: return "--lenient makes bad bytes U+FFFD"
        case .latin1Words: return "try --encoding latin1"
        case .anotherName(let kind): return "a \(kind) model needs another --name"
        case .renameOrReplace: return "use --name NEW or --force"
        case .lowerLearningRate: return "try a lower --lr"
        case .smallerBatches: return "use a smaller --batch-size or --seq-length"
        case .initialiseFrom: return "use --init-from to fine-tune on new text"
        }
    }
}

extension Verso {
    /// Parses and runs `command` as ArgumentParser's `main` does, except that an error advising a
    /// setting is printed with the flag that changes it.
    public static func main<C: ParsableCommand>(_ command: C.Type, _ arguments: [String]) -> Never {
        do {
            var parsed = try command.parseAsRoot(arguments)
            try parsed.run()
            command.exit()
        } catch let error as AdvisingError where error.advice != nil {
            command.exit(withError: InputError(error.described { $0.flags }))
        } catch {
            command.exit(withError: error)
        }
    }
}
