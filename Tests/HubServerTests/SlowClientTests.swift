import HTTPTypes
@testable import HubServer
import LedgerCore
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing

/// Issue 2/6, finding 4: "400 slow-body connections were never closed". Hummingbird's idle timeout never closes a
/// connection while a request is being read, so a client trickling its body held its connection (and a slot of the
/// connection limit) forever. `RequestDeadlineHandler` closes it; these tests drive it on an embedded channel with the
/// event loop's virtual clock (no waiting, no timing).
@Suite struct SlowClientTests {
    static let limits = RequestDeadlineHandler.Limits(headerSeconds: 20, bodyWindowSeconds: 30, bodyBytesPerWindowMin: 8 * 1024,
                                                      bodySecondsMax: 600)

    final class Causes: @unchecked Sendable {
        var values: [RequestDeadlineHandler.Cause] = []
    }

    static func channel(_ causes: Causes) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: RequestDeadlineHandler(limits: limits) { causes.values.append($0) })
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8640)).wait()
        return channel
    }

    static let head = HTTPRequestPart.head(HTTPRequest(method: .post, scheme: "http", authority: "hub", path: "/v1/batches"))

    static func body(_ count: Int) -> HTTPRequestPart { .body(ByteBuffer(repeating: 0x41, count: count)) }

    @Test func aHeaderThatNeverCompletesIsClosedAfterTheHeaderTimeout() throws {
        let causes = Causes()
        let channel = try Self.channel(causes)
        channel.embeddedEventLoop.advanceTime(by: .seconds(19))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
        #expect(causes.values == [.slowHeader])
    }

    @Test func aTrickledBodyIsClosedAtTheEndOfItsFirstSlowWindow() throws {
        let causes = Causes()
        let channel = try Self.channel(causes)
        try channel.writeInbound(Self.head)
        for _ in 0..<29 {  // one byte a second: far below 8 KiB per 30 s
            try channel.writeInbound(Self.body(1))
            channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        }
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
        #expect(causes.values == [.slowBody])
    }

    @Test func aSlowButWorkingLineKeepsItsConnectionUntilTheBodyLimit() throws {
        let causes = Causes()
        let channel = try Self.channel(causes)
        try channel.writeInbound(Self.head)
        for _ in 0..<19 {  // 9 KiB every 30 s for 570 s: slow, but moving
            try channel.writeInbound(Self.body(9 * 1024))
            channel.embeddedEventLoop.advanceTime(by: .seconds(30))
        }
        #expect(channel.isActive, "a line that moves is not cut before the body limit")
        try channel.writeInbound(Self.body(9 * 1024))
        channel.embeddedEventLoop.advanceTime(by: .seconds(30))
        #expect(!channel.isActive, "600 s is the most a body may take")
        #expect(causes.values == [.bodyTooLong])
    }

    @Test func aCompleteRequestStopsTheClocks() throws {
        let causes = Causes()
        let channel = try Self.channel(causes)
        try channel.writeInbound(Self.head)
        try channel.writeInbound(Self.body(100))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        channel.embeddedEventLoop.advanceTime(by: .seconds(3_600))
        #expect(channel.isActive, "after the request is read, applying it may take as long as it takes")
        #expect(causes.values.isEmpty)
        _ = try channel.finish()
    }

    @Test func anUploadBudgetIsPerNodeAndRefills() {
        let limiter = UploadRateLimiter(uploadsPerMinute: 60, burst: 3)
        let county = OrgCode("340121")!, other = OrgCode("340122")!
        for _ in 0..<3 { #expect(limiter.take(county, nowNanoseconds: 0) == nil) }
        #expect(limiter.take(county, nowNanoseconds: 0) == 1, "the fourth upload at once waits a second (60 a minute)")
        #expect(limiter.take(other, nowNanoseconds: 0) == nil, "another office's budget is its own")
        #expect(limiter.take(county, nowNanoseconds: 1_000_000_000) == nil, "one more after a second")
        #expect(limiter.take(county, nowNanoseconds: 1_000_000_000) != nil)
        #expect(limiter.take(county, nowNanoseconds: .max) == nil, "a long silence refills without overflow")
    }
}
