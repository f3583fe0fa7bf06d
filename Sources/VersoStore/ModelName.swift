// What a model may be called: printed in tables, typed on command lines, put in URLs.

public enum ModelName {
    public static let maximumLength = 128

    /// Refuses an empty name, one longer than 128 characters, and one holding a control character
    /// (a newline would split a table, an escape code would reach the terminal).
    public static func check(_ name: String) throws {
        guard !name.isEmpty else { throw StoreError("a model name cannot be empty") }
        guard name.count <= maximumLength else {
            throw StoreError("a model name has at most \(maximumLength) characters (this one has \(name.count))")
        }
        if let bad = name.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            throw StoreError(
                "the model name '\(printable(name))' holds a control character (\(bad.escaped(asASCII: true)))")
        }
    }

    /// `text` with control characters written as escapes (`\n`, `\u{1B}`), for tables and messages.
    public static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
        return text.unicodeScalars.map {
            $0.properties.generalCategory == .control ? $0.escaped(asASCII: true) : String($0)
        }.joined()
    }
}
