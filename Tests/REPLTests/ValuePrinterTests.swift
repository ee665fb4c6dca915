import Engine
@testable import REPL
import Script
import Terminal
import Testing

/// How the REPL draws lists: one line of short forms when they fit, one item a line otherwise.
@Suite struct ValuePrinterListTests {
    let printer = ValuePrinter(options: RenderOptions(width: 60, color: false))

    @Test func scalarTensorsInAListFollowThePrecision() {
        let list = Value.list([.tensor(Tensor(0.7692461242088552)), .tensor(Tensor(0.42967631496107794))])
        #expect(printer.render(list) == "[tensor(0.7692), tensor(0.4297)]")
        var coarse = printer
        coarse.options.precision = 1
        #expect(coarse.render(list) == "[tensor(0.8), tensor(0.4)]")
        // Value.description (str, docs, JSON's neighbours) is unchanged.
        #expect(list.description == "[tensor(0.7692461242088552), tensor(0.42967631496107794)]")
    }

    @Test func smallTensorsInlineBigOnesAsTheirShape() throws {
        let items: [Value] = [.tensor(Tensor([0.1, 0.25])), .tensor(try Tensor.zeros([3, 4])), .number(3), .string("a"),
                              .list([.number(1), .tensor(try Tensor(shape: [2, 1], storage: [1, 2]))])]
        let wide = ValuePrinter(options: RenderOptions(width: 100, color: false))
        #expect(wide.render(.list(items)) == "[tensor([0.1, 0.25]), tensor (3, 4), 3, \"a\", [1, tensor([[1.], [2.]])]]")
    }

    @Test func aListTooWideForOneLineGoesOneItemALine() throws {
        let row = try Tensor(shape: [4], storage: [0, 5.0 / 3, 10.0 / 3, 5])
        let rows = Array(repeating: Value.tensor(row), count: 4)
        #expect(printer.render(.list(rows)) == """
            list of 4
            [0] tensor([0., 1.6667, 3.3333, 5.])
            [1] tensor([0., 1.6667, 3.3333, 5.])
            [2] tensor([0., 1.6667, 3.3333, 5.])
            [3] tensor([0., 1.6667, 3.3333, 5.])
            """)
        // Numbers and scalar tensors stay on one line however long.
        let long = Value.list((0..<40).map { .tensor(Tensor(Double($0))) })
        #expect(printer.render(long)?.contains("\n") == false)
    }

    @Test func listsWithRecordsDrawEachItemInFull() {
        let list = Value.list([.record(Record(title: "r", fields: [(name: "a", value: .number(1))])), .tensor(Tensor(0.5))])
        #expect(printer.render(list) == "list of 2\n[0] r\n      a  1\n[1] tensor ()\n    0.5")
    }

    @Test func recordMembersThatAreListsUseTheShortForms() {
        let r = Record(title: "r", fields: [(name: "norms", value: .list([.tensor(Tensor(1.0 / 3)), .number(2)]))])
        #expect(printer.render(.record(r)) == "r\n  norms  [tensor(0.3333), 2]")
    }
}

/// A string value of millions of characters shows its start and end and says how long it is.
@Suite struct ValuePrinterStringTests {
    let printer = ValuePrinter(options: RenderOptions(width: 80, color: false))

    @Test func aStringUpToTheLimitIsShownWhole() {
        let s = String(repeating: "ab", count: ValuePrinter.stringDisplayLimit / 2)
        #expect(printer.render(.string(s)) == "\"" + s + "\"")
    }

    @Test func aLongStringShowsItsEndsAndItsLength() throws {
        let s = String(repeating: "x", count: 3000) + "MIDDLE" + String(repeating: "y", count: 3000)
        let shown = try #require(printer.render(.string(s)))
        #expect(shown.hasPrefix("\"" + String(repeating: "x", count: 2000) + " … (6006 characters; print shows them all) … "))
        #expect(shown.hasSuffix(String(repeating: "y", count: 500) + "\""))
        #expect(!shown.contains("MIDDLE"))
        // Control characters in the kept parts are still escaped.
        let hostile = "\u{1b}[2J" + String(repeating: "z", count: 5000)
        #expect(printer.render(.string(hostile))?.hasPrefix("\"\\u{1b}[2J") == true)
    }
}
