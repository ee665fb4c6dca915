import Testing
@testable import Script
