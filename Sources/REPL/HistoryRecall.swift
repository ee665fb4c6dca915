/// Up and Down at the prompt, as IPython does them: with nothing typed, Up walks back through
/// every entry; with text typed, only through the entries that start with it (`tr` Up finds the
/// last `train(…)`). Down walks forward again and, past the newest, gives back what was typed.
/// An entry is a whole input — a `for … { … }` block of several lines is one entry.
///
/// Kept apart from libedit (which stores and saves the entries) so it can be tested without a
/// terminal.
struct HistoryRecall {
    /// Oldest first.
    private(set) var entries: [String] = []
    /// The index of the entry on the line, while walking.
    private var position: Int?
    /// What was on the line when the walk began: the prefix searched for, restored at the end.
    private var typed = ""
    /// The entry put on the line last; a line that differs from it was edited, so Up starts a
    /// new walk from what is there now.
    private var shown: String?

    init(entries: [String] = []) { self.entries = entries }

    /// Appends an entry (one equal to the newest is not repeated) and ends any walk.
    mutating func add(_ entry: String) {
        if entries.last != entry { entries.append(entry) }
        reset()
    }

    /// Ends the walk: the next Up starts from the newest entry.
    mutating func reset() {
        position = nil
        shown = nil
        typed = ""
    }

    /// The older entry to show for Up with `line` on the prompt, or nil when there is none.
    mutating func up(line: String) -> String? {
        if shown != line || position == nil {
            typed = line
            position = entries.count
        }
        var i = position! - 1
        while i >= 0 {
            if entries[i].hasPrefix(typed) && entries[i] != line { return show(i) }
            i -= 1
        }
        return nil
    }

    /// The newer entry for Down, or what was typed before the walk once past the newest; nil
    /// when not walking.
    mutating func down(line: String) -> String? {
        guard let start = position, shown == line else { return nil }
        var i = start + 1
        while i < entries.count {
            if entries[i].hasPrefix(typed) && entries[i] != line { return show(i) }
            i += 1
        }
        let restored = typed
        reset()
        return restored
    }

    private mutating func show(_ index: Int) -> String {
        position = index
        shown = entries[index]
        return entries[index]
    }
}
