import Tutorial

/// The book's first page: every lesson in order, with its title, minutes and objectives.
public enum BookIndex {
    public static func html(_ lessons: [LessonMeta]) -> String {
        let total = lessons.reduce(0) { $0 + $1.minutes }
        let items = lessons.map { meta in
            "<li class=\"lesson\">\n<h2><a href=\"\(HTMLText.attribute(LessonPage.fileName(meta)))\">\(meta.order). \(HTMLText.text(meta.title))</a></h2>\n"
                + "<p class=\"kicker\">about \(meta.minutes) minutes</p>\n"
                + (meta.objectives.isEmpty ? "" : "<ul class=\"objectives\">\n"
                    + meta.objectives.map { "<li>\(BookProse.inline($0))</li>" }.joined(separator: "\n") + "\n</ul>\n")
                + "</li>"
        }.joined(separator: "\n")
        let intro = "<header>\n<h1>Recurrent neural networks, by running them</h1>\n"
            + "<p>\(lessons.count) lesson\(lessons.count == 1 ? "" : "s") of rnnlab, about \(total) minutes in all. Every output on these pages was computed by running the lesson; "
            + "in rnnlab (<code>rnnlab lesson N</code>) you run each cell yourself and change it.</p>\n</header>"
        return LessonPage.document(title: "Lessons", body: "<main>\n\(intro)\n<ol class=\"index\">\n\(items)\n</ol>\n</main>")
    }
}
