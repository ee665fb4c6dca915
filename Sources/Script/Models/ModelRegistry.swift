/// Every kind of model the language has, once. A new architecture is one more line here.
enum ModelRegistry {
    static var models: [any ScriptModel.Type] {
        [
            RecurrentModel.self, CellModel.self, LinearModel.self, EmbeddingModel.self,
            ClassifierModel.self, TaggerModel.self, GeneratorModel.self, Seq2SeqModel.self,
        ]
    }

    /// Their constructors and own methods, for the interpreter's table of builtins.
    static var builtins: [Builtin] { models.flatMap { $0.builtins } }
}
