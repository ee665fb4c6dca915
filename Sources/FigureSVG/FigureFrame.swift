/// What every SVG figure shares around its picture: the title at the top left, and the small
/// document drawn for a figure with nothing to show.
enum FigureFrame {
    static let margin = 10.0

    /// The title in bold at the top left, where every renderer leaves `Typography.title + 8` of room.
    static func title(_ title: String?, in doc: inout SVGDocument) {
        guard let title else { return }
        doc.text(title, x: margin, y: margin + Typography.title - 2, size: Typography.title, bold: true)
    }

    /// The title and one line saying why nothing is drawn ("(empty plot)"), like the terminal.
    static func empty(_ title: String?, _ message: String) -> String {
        let width = max(Typography.width(title ?? "", size: Typography.title), Typography.width(message)) + 2 * margin
        var doc = SVGDocument(width: max(120, width), height: title == nil ? 36 : 58)
        FigureFrame.title(title, in: &doc)
        doc.text(message, x: margin, y: (title == nil ? margin : margin + Typography.title + 8) + Typography.body + 2, fill: Palette.muted)
        return doc.render()
    }
}
