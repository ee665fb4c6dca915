/// A line of code too long for the screen, folded into pieces that fit: at a space in the second
/// half of the room when there is one (so a comment breaks between words), else at the edge.
/// Code is never re-flowed like prose — its line breaks mean something — so only a line that
/// does not fit is cut, and the caller marks the continuation (`↪`, or the cell's gutter).
public enum CodeFolding {
    /// The pieces of `line` (trailing spaces dropped), each at most `room` display columns.
    public static func fold(_ line: String, room: Int) -> [String] {
        let room = max(1, room)
        var rest = Array(line)
        while rest.last == " " { rest.removeLast() }
        if rest.isEmpty { return [""] }
        var pieces: [String] = []
        while !rest.isEmpty {
            var used = 0, cut = 0
            while cut < rest.count {
                let w = DisplayWidth.columns(rest[cut])
                if used + w > room && cut > 0 { break }
                used += w
                cut += 1
            }
            if cut < rest.count, let space = rest[..<cut].lastIndex(of: " "), space >= cut / 2, space > 0 {
                cut = space + 1
            }
            var piece = String(rest[..<cut])
            while piece.last == " " { piece.removeLast() }
            pieces.append(piece)
            rest.removeFirst(cut)
            while rest.first == " " && !pieces.isEmpty && cut > 0 { rest.removeFirst() }
        }
        return pieces
    }
}
