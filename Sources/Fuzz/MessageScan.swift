import Foundation
import Script

/// `Fuzz messages DIR`: every error message recorded under DIR (by runs with
/// `RNNLAB_ERROR_AUDIT=DIR`, see ``MessageAudit``) is checked for names of the Swift API; each
/// offending message is printed with the words that gave it away. Exit status 1 when any is found,
/// 2 when nothing was recorded (an audit that saw nothing proves nothing).
func scanMessages(directory: String) -> Int32 {
    let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix("messages-") }
    var messages = Set<String>()
    for file in files {
        guard let text = try? String(contentsOfFile: directory + "/" + file, encoding: .utf8) else { continue }
        for line in text.split(separator: "\n") { messages.insert(String(line)) }
    }
    guard !messages.isEmpty else {
        print("Fuzz messages: no error messages recorded under \(directory) (run with RNNLAB_ERROR_AUDIT=\(directory))")
        return 2
    }
    var bad = 0
    for message in messages.sorted() {
        let names = MessageAudit.swiftNames(in: message.replacingOccurrences(of: "\\n", with: "\n"))
        guard !names.isEmpty else { continue }
        bad += 1
        print("Swift name\(names.count == 1 ? "" : "s") \(names.joined(separator: ", ")) in: \(message)")
    }
    print("error messages: \(messages.count) distinct from \(files.count) process\(files.count == 1 ? "" : "es"), \(bad) with Swift names")
    return bad == 0 ? 0 : 1
}
