/// `rnnlab progress --reset` forgets what cannot be got back, so it asks first on a terminal;
/// scripts pass `--yes`, and off a terminal without it nothing is forgotten.
public enum ResetConfirmation {
    public enum Decision: Equatable {
        /// Go ahead and forget.
        case proceed
        /// The learner said no (or nothing): nothing is forgotten.
        case declined
        /// Not on a terminal and no `--yes`: nothing is forgotten; the message says why.
        case refused(String)
    }

    /// The question asked on a terminal: "Forget your progress in 3 lessons? [y/N] ".
    public static func question(_ what: String) -> String { "Forget \(what)? [y/N] " }

    /// `what`: what would be forgotten ("your progress in 3 lessons"). `ask` shows the question and
    /// returns the reply, nil at end of input.
    public static func decide(what: String, yes: Bool, isTerminal: Bool, ask: (String) -> String?) -> Decision {
        if yes { return .proceed }
        guard isTerminal else {
            return .refused("rnnlab progress --reset would forget \(what) and cannot ask here (not a terminal); pass --yes to confirm. Nothing was forgotten.")
        }
        guard let reply = ask(question(what)) else { return .declined }
        return GuidedREPL.isYes(reply) ? .proceed : .declined
    }
}
