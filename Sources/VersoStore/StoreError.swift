// Errors from the store, each a one-line message for the command line.
import VersoText

public struct StoreError: AdvisingError, Equatable, Sendable {
    public let message: String
    public let advice: SettingAdvice?
    public init(_ message: String, advice: SettingAdvice? = nil) {
        self.message = message
        self.advice = advice
    }
}
