import Foundation

/// The YAML front matter between the `---` lines at the top of a lesson.
enum FrontMatter {
    static let keys: Set<String> = ["id", "title", "order", "minutes", "objectives", "prerequisites", "cell_seconds"]

    /// The lesson's metadata and the 0-based index of the first line after the front matter.
    static func parse(lines: [String], file: String) throws(LessonFormatError) -> (LessonMeta, Int) {
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else {
            throw LessonFormatError(file: file, line: 1, "expected front matter: a first line '---', then id, title, order, minutes, objectives, prerequisites, then '---'")
        }
        guard let close = lines.indices.dropFirst().first(where: { lines[$0].trimmingCharacters(in: .whitespaces) == "---" }) else {
            throw LessonFormatError(file: file, line: 1, "the front matter opened here is never closed (expected a line '---')")
        }
        let yaml = lines[1..<close].joined(separator: "\n")
        // YAML line 1 is file line 2.
        let f = try YAMLFields.compose(yaml, file: file, lineOffset: 1, fallbackLine: 1, what: "front matter")
        try f.rejectUnknown(keys)
        let id = try f.requiredString("id")
        guard id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw f.error(f.node("id"), "front matter: id '\(id)' should be letters, digits and '-' only")
        }
        guard let order = try f.int("order") else { throw f.error(nil, "front matter: missing 'order' (expected order: 1)") }
        guard let minutes = try f.int("minutes") else { throw f.error(nil, "front matter: missing 'minutes' (expected minutes: 15)") }
        // The menu prints both in a few columns; a huge number is a typo, not a lesson.
        guard (0...9999).contains(order) else { throw f.error(f.node("order"), "front matter: order \(order) should be between 0 and 9999") }
        guard (0...9999).contains(minutes) else {
            throw f.error(f.node("minutes"), "front matter: minutes \(minutes) should be between 0 and 9999")
        }
        let cellSeconds = try f.int("cell_seconds") ?? LessonMeta.defaultCellSeconds
        guard (1...86_400).contains(cellSeconds) else {
            throw f.error(f.node("cell_seconds"), "front matter: cell_seconds \(cellSeconds) should be between 1 and 86400")
        }
        let meta = LessonMeta(id: id, title: try f.requiredString("title"), order: order, minutes: minutes,
                              objectives: try f.strings("objectives"), prerequisites: try f.strings("prerequisites"),
                              cellSeconds: cellSeconds)
        return (meta, close + 1)
    }
}
