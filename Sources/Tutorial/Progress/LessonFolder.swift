import Foundation

/// The folder a lesson keeps its learner's files in, under `base`: `NN-id`, with the lesson's
/// order and id, so a listing reads in course order.
///
/// A lesson keeps its id when the course gains a lesson before it, but its order changes. So
/// when `NN-id` does not exist yet and a folder `MM-id` does (the same id, an earlier order), that
/// folder is renamed — the learner's exercise code and the files the lesson's cells wrote move
/// with the lesson instead of being left behind.
public enum LessonFolder {
    public static func url(for meta: LessonMeta, under base: URL) -> URL {
        let name = String(format: "%02ld-%@", meta.order, meta.id)
        let url = base.appendingPathComponent(name, isDirectory: true)
        let files = FileManager.default
        guard !files.fileExists(atPath: url.path),
              let names = try? files.contentsOfDirectory(atPath: base.path) else { return url }
        let earlier = names.filter { other in
            guard other != name, let dash = other.firstIndex(of: "-") else { return false }
            let order = other[..<dash]
            return !order.isEmpty && order.allSatisfy(\.isASCIIDigit) && other[other.index(after: dash)...] == meta.id[...]
        }
        if earlier.count == 1 {
            try? files.moveItem(at: base.appendingPathComponent(earlier[0], isDirectory: true), to: url)
        }
        return url
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
