/// Version of the engine and, until the CLI has more to say, of the whole rnnlab suite.
public enum EngineInfo {
    public static let version = "0.1.0"
}
