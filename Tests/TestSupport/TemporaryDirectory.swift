import Foundation

/// A new, empty directory under the system's temporary directory, named
/// `rnnlab-<label>-<process>-<UUID>` so that parallel tests and parallel runs never share one and
/// a leftover says which test made it. The caller removes it (`defer { try? … removeItem }`).
public func temporaryDirectory(_ label: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("rnnlab-\(label)-\(getpid())-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}
