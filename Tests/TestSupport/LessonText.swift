/// The text of a small lesson file (docs/lesson-format.md): front matter, a title heading, `body`.
///
/// `extra` holds more front-matter lines, each ending in a newline (`"cell_seconds: 1\n"`). The
/// title heading is line 8 and `body` starts on line 10 without `extra`, which tests that quote
/// line numbers rely on.
public func lessonText(id: String, title: String, order: Int, minutes: Int = 1, extra: String = "", body: String) -> String {
    "---\nid: \(id)\ntitle: \(title)\norder: \(order)\nminutes: \(minutes)\n\(extra)---\n\n# \(title)\n\n" + body
}
