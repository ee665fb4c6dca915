/// Words from text, and the vocabulary that numbers them.
///
/// The tokenizer is deliberately simple and predictable, so a learner can say what it will do:
/// lowercase; a word is a run of letters and digits, with apostrophes kept *inside* it (don't,
/// o'er, 90's — ’ counts as '); every other character that is not white space is a token of its
/// own (`!`, `?`, `,`, `:`, `)`…), because "great!" and "great?" mean different things to a
/// sentiment model.
public enum Tokenizer {
    public static func words(_ text: String) -> [String] {
        var tokens: [String] = []
        var word = ""
        let chars = Array(text.lowercased())
        func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber }
        for (i, raw) in chars.enumerated() {
            let c: Character = raw == "’" ? "'" : raw
            if isWordCharacter(c) {
                word.append(c)
            } else if c == "'", !word.isEmpty, i + 1 < chars.count, isWordCharacter(chars[i + 1]) {
                word.append(c)
            } else {
                if !word.isEmpty { tokens.append(word); word = "" }
                if !c.isWhitespace { tokens.append(String(c)) }
            }
        }
        if !word.isEmpty { tokens.append(word) }
        return tokens
    }
}

/// Tokens numbered 0, 1, 2, …: characters for a character-level model, words for a word-level one.
public struct Vocabulary: Sendable {
    public enum Level: String, Sendable { case char, word }

    public static let pad = "<pad>", unknown = "<unk>"

    public let level: Level
    /// Index = id.
    public let tokens: [String]
    /// The id unknown tokens get: always 1 at word level; at character level only when `minCount`
    /// dropped characters (then id 0), otherwise nil and an unknown character is an error.
    public let unknownID: Int?
    private let ids: [String: Int]

    /// Counts the tokens of `texts` and numbers those seen at least `minCount` times.
    ///
    /// Character level: the characters sorted by code point (the order Karpathy's char-rnn uses).
    /// Word level: id 0 is `<pad>` (so padded batches can use 0), id 1 `<unk>`, then the words from
    /// the most frequent down, ties alphabetically.
    public init(texts: [String], level: Level, minCount: Int = 1) throws {
        guard minCount >= 1 else { throw DataError("vocabulary: min_count must be at least 1, got \(minCount)") }
        self.level = level
        var counts: [String: Int] = [:]
        for text in texts {
            switch level {
            case .char: for c in text { counts[String(c), default: 0] += 1 }
            case .word: for w in Tokenizer.words(text) { counts[w, default: 0] += 1 }
            }
        }
        let kept = counts.filter { $0.value >= minCount }
        switch level {
        case .char:
            let chars = kept.keys.sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }
            if kept.count < counts.count { tokens = [Vocabulary.unknown] + chars; unknownID = 0 } else { tokens = chars; unknownID = nil }
        case .word:
            let words = kept.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
            tokens = [Vocabulary.pad, Vocabulary.unknown] + words; unknownID = 1
        }
        guard !tokens.isEmpty else { throw DataError("vocabulary: the text is empty, so there are no tokens") }
        ids = Dictionary(uniqueKeysWithValues: tokens.enumerated().map { ($1, $0) })
    }

    /// Rebuilds a vocabulary from its tokens (as the language stores it).
    public init(tokens: [String], level: Level) throws {
        self.level = level
        self.tokens = tokens
        var ids: [String: Int] = [:]
        for (k, t) in tokens.enumerated() {
            guard ids[t] == nil else { throw DataError("vocabulary: the token '\(t)' appears twice") }
            ids[t] = k
        }
        self.ids = ids
        unknownID = ids[Vocabulary.unknown]
    }

    public var size: Int { tokens.count }

    public func id(of token: String) -> Int? { ids[token] }

    /// The ids of `text`'s characters or words.
    public func encode(_ text: String) throws -> [Int] {
        switch level {
        case .char:
            var out: [Int] = []
            out.reserveCapacity(text.count)
            for (position, c) in text.enumerated() {
                if let k = ids[String(c)] ?? unknownID { out.append(k); continue }
                throw DataError("encode: the character \(Vocabulary.quoted(c)) at position \(position) is not in the vocabulary")
            }
            return out
        case .word:
            return Tokenizer.words(text).map { ids[$0] ?? unknownID ?? 1 }
        }
    }

    /// The text of `ids`: characters joined, words joined by spaces (`<pad>` left out).
    public func decode(_ ids: [Int]) throws -> String {
        var parts: [String] = []
        for (position, k) in ids.enumerated() {
            guard k >= 0, k < tokens.count else {
                throw DataError("decode: id \(k) at position \(position) is not in 0..<\(tokens.count) (the vocabulary's size)")
            }
            if level == .word, tokens[k] == Vocabulary.pad { continue }
            parts.append(tokens[k])
        }
        return parts.joined(separator: level == .char ? "" : " ")
    }

    /// A character as Python writes it, `'\n'` for a newline.
    static func quoted(_ c: Character) -> String { StringLiteralSyntax.python.quoted(String(c)) }
}
