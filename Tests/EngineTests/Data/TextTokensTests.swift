import Testing
@testable import Engine

@Suite struct TextTokensTests {
    @Test func tokenizerRule() {
        #expect(Tokenizer.words("I don't LIKE it!!") == ["i", "don't", "like", "it", "!", "!"])
        #expect(Tokenizer.words("Great? 'Tis 90's…") == ["great", "?", "'", "tis", "90's", "…"])
        #expect(Tokenizer.words("can’t stop, won't") == ["can't", "stop", ",", "won't"])
        #expect(Tokenizer.words("  \n") == [])
        #expect(Tokenizer.words("RT @anon: wow :)") == ["rt", "@", "anon", ":", "wow", ":", ")"])
    }

    @Test func characterVocabularyRoundTrip() throws {
        let v = try Vocabulary(texts: ["hello world\n"], level: .char)
        #expect(v.tokens == ["\n", " ", "d", "e", "h", "l", "o", "r", "w"])
        #expect(v.unknownID == nil)
        let ids = try v.encode("hello world\n")
        #expect(ids == [4, 3, 5, 5, 6, 1, 8, 6, 7, 5, 2, 0])
        #expect(try v.decode(ids) == "hello world\n")
        #expect(throws: DataError("encode: the character 'z' at position 2 is not in the vocabulary")) { try v.encode("hez") }
        #expect(throws: DataError.self) { try v.decode([9]) }
        // Rebuilt from its tokens (as the language stores it) it encodes the same.
        #expect(try Vocabulary(tokens: v.tokens, level: .char).encode("world") == (try v.encode("world")))
    }

    @Test func minCountAddsUnknownAtCharacterLevel() throws {
        let v = try Vocabulary(texts: ["aab"], level: .char, minCount: 2)
        #expect(v.tokens == ["<unk>", "a"] && v.unknownID == 0)
        #expect(try v.encode("abc") == [1, 0, 0])
    }

    @Test func wordVocabularyOrderAndSpecials() throws {
        let v = try Vocabulary(texts: ["the cat sat", "the dog sat!", "a cat"], level: .word)
        // Counts: the 2, cat 2, sat 2, then ! a dog 1 — ties alphabetical.
        #expect(v.tokens == ["<pad>", "<unk>", "cat", "sat", "the", "!", "a", "dog"])
        #expect(try v.encode("The bird sat!") == [4, 1, 3, 5])
        #expect(try v.decode([4, 2, 0, 0]) == "the cat")
        let frequent = try Vocabulary(texts: ["the cat sat", "the dog sat!", "a cat"], level: .word, minCount: 2)
        #expect(frequent.tokens == ["<pad>", "<unk>", "cat", "sat", "the"])
        #expect(throws: DataError.self) { try Vocabulary(texts: [""], level: .char) }
    }
}
