/// A mistake in a lesson file: where it is and what was expected there.
public struct LessonFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based line in the lesson file.
    public var line: Int
    public var message: String

    public init(file: String, line: Int, _ message: String) {
        self.file = file; self.line = line; self.message = message
    }

    /// `FILE:LINE: message`, as compilers write it.
    public var description: String { "\(file):\(line): \(message)" }
}
