import Foundation
import Testing
@testable import Engine

/// The checkout's Datasets/ directory, found from this file's path.
let datasetsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Datasets")

@Suite struct DelimitedTextTests {
    @Test func quotedFieldsFollowRFC4180() throws {
        let text = "name,value,note\r\n\"Smith, J\",1.5,\"said \"\"hi\"\"\"\n\"two\nlines\",2,x\nplain,3,\"\"\n"
        let t = try DelimitedTable(text: text, path: "q.csv", separator: ",")
        #expect(t.header == ["name", "value", "note"])
        #expect(t.rows == [["Smith, J", "1.5", "said \"hi\""], ["two\nlines", "2", "x"], ["plain", "3", ""]])
        #expect(t.lines == [2, 3, 5])   // the quoted line break moves the next row to line 5
        #expect(try t.numbers(column: 1) == [1.5, 2, 3])
        #expect(try t.numericColumn(1) == [1.5, 2, 3] && t.numericColumn(0) == nil)
    }

    /// Ctrl-C while a column is being read as numbers stops the read: it is not taken for a column
    /// of text, which read_csv would then go on to convert, cell by cell, before anyone noticed.
    @Test func aRaisedFlagStopsReadingAColumnAsNumbers() throws {
        let t = try DelimitedTable(text: "x,y\n" + (0..<100).map { "\($0),a\($0)\n" }.joined(), path: "n.csv", separator: ",")
        #expect(try t.numericColumn(0)?.count == 100 && t.numericColumn(1) == nil)
        let flag = Cancellation.Flag()
        flag.raise()
        Cancellation.watching(flag) {
            #expect(throws: TensorError.interrupted) { try t.numericColumn(0) }
            #expect(throws: TensorError.interrupted) { try t.numericColumn(1) }
            #expect(throws: TensorError.interrupted) { try t.numbers(column: 0) }
        }
    }

    @Test func quotesInsideUnquotedFieldsAreKeptAndBlankLinesSkipped() throws {
        let t = try DelimitedTable(text: "a\tb\n\n1\the said \"no\"\n", path: "t.tsv", separator: "\t")
        #expect(t.rows == [["1", "he said \"no\""]])
        #expect(t.lines == [3])
    }

    @Test func errorsNameThePathAndLine() throws {
        let bad = try DelimitedTable(text: "YEAR,SUNACTIVITY\n1700,5\n1701,abc\n", path: "s.csv", separator: ",")
        #expect(throws: DataError("s.csv:3: column SUNACTIVITY: expected a number, found 'abc'")) { try bad.numbers(column: 1) }
        #expect(throws: DataError("s.csv:3: expected 2 fields, found 3")) {
            try DelimitedTable(text: "a,b\n1,2\n3,4,5\n", path: "s.csv", separator: ",")
        }
        #expect(throws: DataError("s.csv: no column 'sun'; the columns are YEAR, SUNACTIVITY")) { try bad.columnIndex(named: "sun") }
        #expect(throws: DataError("s.csv: no column 2; the file has 2 columns (YEAR, SUNACTIVITY)")) { try bad.columnIndex(2) }
        #expect(try bad.columnIndex(-1) == 1)
        #expect(throws: DataError("s.csv:2: a quoted field is not closed before the end of the file")) {
            try DelimitedTable(text: "a\n\"open\n", path: "s.csv", separator: ",")
        }
        #expect(throws: DataError.self) { try DelimitedTable(text: "a\n\"x\"y\n", path: "s.csv", separator: ",") }
        #expect(throws: DataError("nowhere.csv: no such file")) {
            try DataFile.text(at: URL(fileURLWithPath: "/nonexistent/nowhere.csv"), path: "nowhere.csv")
        }
        #expect(throws: DataError("e.csv: the file is empty")) { try DelimitedTable(text: "", path: "e.csv", separator: ",") }
    }

    @Test func headerlessFilesTakeNames() throws {
        let t = try DelimitedTable(text: "1\t0.5\thi\n2\t-1\tho", path: "x.tsv", separator: "\t", header: false)
        #expect(t.header == ["c0", "c1", "c2"] && t.rows.count == 2)
        let named = try DelimitedTable(text: "1\t0.5\thi\n", path: "x.tsv", separator: "\t", header: false, names: ["id", "r", "text"])
        #expect(named.header == ["id", "r", "text"])
        #expect(throws: DataError.self) { try DelimitedTable(text: "1,2\n", path: "x.csv", separator: ",", header: false, names: ["a"]) }
        #expect(DelimitedTable.defaultSeparator(for: "a.TSV") == "\t" && DelimitedTable.defaultSeparator(for: "a.csv") == ",")
    }

    @Test func shippedSunspots() throws {
        let path = datasetsDirectory.appendingPathComponent("sunspots_yearly.csv")
        let t = try DelimitedTable(text: try DataFile.text(at: path, path: "sunspots_yearly.csv"), path: "sunspots_yearly.csv", separator: ",")
        #expect(t.header == ["YEAR", "SUNACTIVITY"])
        let years = try t.numbers(column: 0), sun = try t.numbers(column: 1)
        #expect(years.count == 309 && sun.count == 309)
        #expect(years == (1700...2008).map(Double.init))
        #expect(sun.first == 5 && sun.last == 2.9)
        #expect(sun.allSatisfy { $0 >= 0 })
    }

    @Test func shippedTweets() throws {
        let path = datasetsDirectory.appendingPathComponent("sentiment_tweets.tsv")
        let t = try DelimitedTable(text: try DataFile.text(at: path, path: "t.tsv"), path: "t.tsv", separator: "\t", header: false)
        #expect(t.rows.count == 4200 && t.header.count == 3)
        let ratings = try t.numbers(column: 1)
        #expect(ratings.allSatisfy { $0 >= -4 && $0 <= 4 })
        #expect(ratings.filter { $0 >= 0.5 }.count == 2345 && ratings.filter { $0 <= -0.5 }.count == 1087)
        #expect(try t.numbers(column: 0) == (1...4200).map(Double.init))
        #expect(!t.rows.contains { $0[2].contains("\r") })
        #expect(FileManager.default.fileExists(atPath: datasetsDirectory.appendingPathComponent("LICENSE-vader.txt").path))
    }

    @Test func shippedShakespeare() throws {
        let path = datasetsDirectory.appendingPathComponent("shakespeare.txt")
        let bytes = try Data(contentsOf: path).count
        #expect(bytes <= 1_000_000 && bytes > 900_000)
        let text = try DataFile.text(at: path, path: "shakespeare.txt")
        #expect(text.hasPrefix("THE SONNETS"))
        #expect(text.contains("To be, or not to be"))
    }
}
