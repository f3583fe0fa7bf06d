// Advice an error gives about a setting: in words in the libraries (the HTTP API shows these), and as
// the flag to type on the command line (VersoCLI's translation).

/// What an error advises changing. Library errors name the setting, never a flag.
public enum SettingAdvice: Sendable, Equatable {
    case lenientSkipsFile
    case lenientReplacesBytes
    case latin1Words
    case anotherName(kind: String)
    case renameOrReplace
    case lowerLearningRate
    case smallerBatches
    case initialiseFrom

    /// The advice in words.
    public var words: String {
        switch self {
        case .lenientSkipsFile: return "lenient reading skips the file"
        case .lenientReplacesBytes: return "lenient reading makes bad bytes U+FFFD"
        case .latin1Words: return "the file may be Latin-1: read its words with the latin1 encoding"
        case .anotherName(let kind): return "a \(kind) model needs another name"
        case .renameOrReplace: return "choose another name, or replace it"
        case .lowerLearningRate: return "try a lower learning rate"
        case .smallerBatches: return "use smaller batches or shorter sequences"
        case .initialiseFrom: return "start a new model from it to fine-tune on new text"
        }
    }
}

/// An error whose one line is a message and, perhaps, advice about a setting.
public protocol AdvisingError: Error, CustomStringConvertible {
    var message: String { get }
    var advice: SettingAdvice? { get }
}

extension AdvisingError {
    /// The message with its advice in parentheses, worded by `word` (the advice's words by default).
    public func described(_ word: (SettingAdvice) -> String = { $0.words }) -> String {
        advice.map { "\(message) (\(word($0)))" } ?? message
    }

    public var description: String { described() }
}
