import Testing
@testable import Tutorial
