/// A problem with a data file or a data-preparation argument, worded for the learner.
///
/// The message already names what was wrong and where — `path:LINE: …` for a bad cell or row, the
/// path for a missing file, both lengths for a series too short to window — so callers print it as is.
public struct DataError: Error, Equatable, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
