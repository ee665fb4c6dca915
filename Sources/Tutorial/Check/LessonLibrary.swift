import Foundation

/// The lessons of a directory: files named `NN-id.md`, in order.
public enum LessonLibrary {
    /// The lesson files of `directory`, sorted by name.
    public static func files(in directory: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" && $0.lastPathComponent.first?.isNumber == true }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// Reads and parses a lesson file, and checks that its name agrees with its front matter
    /// (`NN-id.md`: NN is `order`, id is `id`).
    public static func load(_ url: URL, displayName: String? = nil) throws(LessonFormatError) -> Lesson {
        let name = displayName ?? url.path
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw LessonFormatError(file: name, line: 1, "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LessonFormatError(file: name, line: 1, "the file is not UTF-8 text")
        }
        var lesson = try LessonParser.parse(text, file: name)
        lesson.folder = url.deletingLastPathComponent()
        let stem = url.deletingPathExtension().lastPathComponent
        let expected = String(format: "%02ld-%@", lesson.meta.order, lesson.meta.id)
        if stem != expected {
            throw LessonFormatError(file: name, line: 1, "the file name should be \(expected).md (order \(lesson.meta.order), id \(lesson.meta.id)), not \(url.lastPathComponent)")
        }
        return lesson
    }

    /// Picks the files `selectors` name: an order (`1`, `01`), an id (`sequences`), a stem
    /// (`01-sequences`) or a path to a `.md` file. Unknown selectors are returned in `unknown`.
    public static func select(_ selectors: [String], from files: [URL]) -> (files: [URL], unknown: [String]) {
        guard !selectors.isEmpty else { return (files, []) }
        var chosen: [URL] = []
        var unknown: [String] = []
        for s in selectors {
            if s.hasSuffix(".md"), FileManager.default.fileExists(atPath: s) { chosen.append(URL(fileURLWithPath: s)); continue }
            let match = files.first { url in
                let stem = url.deletingPathExtension().lastPathComponent
                let parts = stem.split(separator: "-", maxSplits: 1).map(String.init)
                return stem == s || parts.count == 2 && (parts[1] == s || Int(parts[0]) != nil && Int(parts[0]) == Int(s))
            }
            if let match { if !chosen.contains(match) { chosen.append(match) } } else { unknown.append(s) }
        }
        return (chosen, unknown)
    }
}
