import Testing
@testable import Terminal

@Suite struct ColorPolicyTests {
    @Test func onForATerminalWithNothingSaid() {
        #expect(ColorPolicy.decide(environment: [:], noColorFlag: false, isTTY: true))
    }

    @Test func offWhenStdoutIsNotATerminal() {
        #expect(!ColorPolicy.decide(environment: [:], noColorFlag: false, isTTY: false))
    }

    @Test func noColorWithAnyValueTurnsItOff() {
        #expect(!ColorPolicy.decide(environment: ["NO_COLOR": "1"], noColorFlag: false, isTTY: true))
        #expect(!ColorPolicy.decide(environment: ["NO_COLOR": ""], noColorFlag: false, isTTY: true))
        #expect(!ColorPolicy.decide(environment: ["NO_COLOR": "0"], noColorFlag: false, isTTY: true))
    }

    @Test func noColorFlagTurnsItOff() {
        #expect(!ColorPolicy.decide(environment: [:], noColorFlag: true, isTTY: true))
        #expect(!ColorPolicy.decide(environment: ["TERM": "xterm-256color"], noColorFlag: true, isTTY: true))
    }

    @Test func stripRemovesEscapesOnly() {
        let s = ANSI.style("ab", ANSI.foreground(39), enabled: true) + "c" + ANSI.clearToEnd + "█"
        #expect(s != "abc█")
        #expect(ANSI.strip(s) == "abc█")
        #expect(ANSI.visibleWidth(s) == 4)
        #expect(ANSI.style("x", ANSI.bold, enabled: false) == "x")
    }

    @Test func terminalSizeFallbacks() {
        #expect(TerminalSize.columns(ioctlColumns: 120, environment: ["COLUMNS": "90"]) == 120)
        #expect(TerminalSize.columns(ioctlColumns: nil, environment: ["COLUMNS": "90"]) == 90)
        #expect(TerminalSize.columns(ioctlColumns: 0, environment: ["COLUMNS": " 91 "]) == 91)
        #expect(TerminalSize.columns(ioctlColumns: nil, environment: ["COLUMNS": "wide"]) == 80)
        #expect(TerminalSize.columns(ioctlColumns: nil, environment: [:]) == 80)
        #expect(TerminalSize.current() > 0)
    }
}
