import HubServer
import Testing

@Suite struct HubServerConfigurationTests {
    @Test func defaultsListenOnLoopbackWithABodyLimit() {
        let configuration = HubServerConfiguration()
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.requestBodyBytesMax > 0)
    }
}
