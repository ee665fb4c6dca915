/// Variables: one global scope for the session, one scope per function call (whose parent is the
/// scope the function was defined in, so functions see — and close over — outer variables).
///
/// As in Python, assigning inside a function makes a local variable; blocks (`if`, `for`,
/// `while`) do not open a scope of their own.
final class Environment {
    private(set) var values: [String: Value] = [:]
    let parent: Environment?

    init(parent: Environment? = nil) { self.parent = parent }

    func lookup(_ name: String) -> Value? {
        var scope: Environment? = self
        while let s = scope {
            if let v = s.values[name] { return v }
            scope = s.parent
        }
        return nil
    }

    func set(_ name: String, _ value: Value) { values[name] = value }

    func removeAll() { values.removeAll() }

    /// Every name visible from here (for "did you mean" and completion).
    var allNames: [String] {
        var names = Set<String>()
        var scope: Environment? = self
        while let s = scope { names.formUnion(s.values.keys); scope = s.parent }
        return Array(names)
    }
}
