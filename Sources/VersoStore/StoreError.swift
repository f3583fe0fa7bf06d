// Errors from the store, each a one-line message for the command line.
public struct StoreError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
