import Engine

/// A script model around an embedding → recurrent layer → head network (classifier, tagger,
/// generator): its module, its members (`rnn`, `head`, `embedding`) and its training switch are
/// the network's, written once here. Each model keeps what is its own — its constructor, its call
/// and how it trains.
protocol HeadedModel: ScriptModel {
    associatedtype Network: RecurrentNetworkWithHead
    var model: Network { get }
}

extension HeadedModel {
    var module: any Module { model }

    var members: [(name: String, value: Value)] {
        ModelSupport.architectureMembers(rnn: model.rnn, head: model.head, embedding: model.embedding)
    }

    /// Dropout lives in the recurrent layer (between its stacked layers); the head and the
    /// embedding behave the same in training and in evaluation.
    var training: Bool {
        get { model.rnn.training }
        set { model.rnn.training = newValue }
    }
}
