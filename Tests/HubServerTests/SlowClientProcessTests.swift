import Foundation
import SyncTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 2/6, finding 4, with the real server: a client that never finishes its request header is disconnected, and
/// clients holding every connection the batch API takes do not stop the admin listener's `/healthz` (20,000 idle
/// half-open connections once made it time out).
@Suite struct SlowClientProcessTests {
    /// A plain TCP connection to 127.0.0.1:`port`, for sending a request by hand.
    final class RawConnection {
        let socket: Int32

        init(port: Int) throws {
            socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        }

        func send(_ text: String) {
            _ = text.utf8CString.withUnsafeBufferPointer { Glibc.send(socket, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL)) }
        }

        /// True when the server closed the connection within `seconds` (a read returns end of file or an error).
        func isClosed(within seconds: Int) -> Bool {
            var timeout = timeval(tv_sec: seconds, tv_usec: 0)
            setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var buffer = [UInt8](repeating: 0, count: 1_024)
            while true {
                let count = recv(socket, &buffer, buffer.count, 0)
                if count == 0 { return true }
                if count < 0 { return errno != EAGAIN && errno != EWOULDBLOCK }
            }
        }

        /// What the server sends until it closes the connection or `seconds` pass.
        func response(within seconds: Int) -> String {
            var timeout = timeval(tv_sec: seconds, tv_usec: 0)
            setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1_024)
            while true {
                let count = recv(socket, &buffer, buffer.count, 0)
                if count <= 0 { break }
                received += buffer[0..<count]
            }
            return String(decoding: received, as: UTF8.self)
        }

        deinit { close(socket) }
    }

    static func port(of url: String) -> Int { Int(url.split(separator: ":").last ?? "") ?? 0 }

    @Test(.timeLimit(.minutes(2))) func aClientThatNeverFinishesItsHeaderIsDisconnected() throws {
        let cli = FundSyncProcesses(folder: try TemporaryDirectory("fundsync-slow-header"))
        defer { cli.folder.remove() }
        try cli.run(["hub", "init", "--data", cli.path("hub"), "--org", "340000", "--name", "Anhui Province"])
        let server = try HubServerProcess(data: cli.path("hub"), logURL: cli.folder.url.appendingPathComponent("hub.log"),
                                          extraArguments: ["--header-timeout-seconds", "1"])
        defer { server.stop() }
        let connection = try RawConnection(port: Self.port(of: server.url))
        connection.send("POST /v1/batches HTTP/1.1\r\nHost: hub\r\n")  // and nothing more, ever
        #expect(connection.isClosed(within: 20), "the idle timeout (60 s) alone never closed it: \(server.log)")
    }

    @Test(.timeLimit(.minutes(2))) func healthAnswersWhileIdleClientsHoldEveryBatchConnection() throws {
        let cli = FundSyncProcesses(folder: try TemporaryDirectory("fundsync-connection-limit"))
        defer { cli.folder.remove() }
        try cli.run(["hub", "init", "--data", cli.path("hub"), "--org", "340000", "--name", "Anhui Province"])
        let server = try HubServerProcess(data: cli.path("hub"), logURL: cli.folder.url.appendingPathComponent("hub.log"),
                                          extraArguments: ["--connection-count-max", "4"])
        defer { server.stop() }
        let idle = try (0..<8).map { _ in try RawConnection(port: Self.port(of: server.url)) }
        for connection in idle { connection.send("GET /healthz HTTP/1.1\r\n") }  // unfinished requests
        let admin = try RawConnection(port: Self.port(of: server.adminURL))
        admin.send("GET /healthz HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n\r\n")
        let health = admin.response(within: 10)
        #expect(health.hasPrefix("HTTP/1.1 200"), "admin /healthz while the batch API is full: \(health)")
        withExtendedLifetime(idle) {}
    }
}
