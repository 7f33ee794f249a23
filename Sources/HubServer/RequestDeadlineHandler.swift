import NIOCore
import NIOHTTPTypes

/// Closes a connection whose client sends a request too slowly: the header of its first request not complete within
/// `headerSeconds` of connecting, or a request body that does not progress by `bodyBytesPerWindowMin` in every window
/// of `bodyWindowSeconds`, or that is not complete within `bodySecondsMax` (issue 2/6 finding 4: 400 slow-body
/// connections held the hub forever).
///
/// Hummingbird's idle timeout closes a connection only between requests, never while one is being read, so a client
/// that trickles a body one byte at a time kept its connection — and a slot of the connection limit — for as long as
/// it liked. A county on a slow line still gets through: the minimum rate (8 KiB per 30 s by default, about 270
/// bytes/s) is far below any working line, and a 16 MiB upload at that rate still fits the body limit of 600 s only
/// if the line does at least 28 KiB/s; raise `bodySecondsMax` for slower lines (`hub serve --body-timeout-seconds`).
///
/// It sits after the HTTP codec (Hummingbird's `additionalChannelHandlers`), so it sees request parts, not bytes: the
/// header deadline covers the first request of a connection (later requests on a kept-alive connection are bounded by
/// the idle timeout, which closes a connection that starts no request).
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    struct Limits: Sendable, Equatable {
        var headerSeconds: Int64
        var bodyWindowSeconds: Int64
        var bodyBytesPerWindowMin: Int
        var bodySecondsMax: Int64
    }

    /// Why a connection was closed, for the caller's log and metrics.
    enum Cause: String, Sendable { case slowHeader = "slow-header", slowBody = "slow-body", bodyTooLong = "body-too-long" }

    let limits: Limits
    let onClose: @Sendable (Cause) -> Void
    private var headerTask: Scheduled<Void>?
    private var windowTask: Scheduled<Void>?
    /// Windows of the current body that have passed (the body limit is counted in windows, on the event loop's clock).
    private var windowsElapsed: Int64 = 0
    private var bytesThisWindow = 0
    private var readingBody = false

    init(limits: Limits, onClose: @escaping @Sendable (Cause) -> Void = { _ in }) {
        self.limits = limits
        self.onClose = onClose
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { armHeaderDeadline(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        armHeaderDeadline(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { cancelAll() }

    func channelInactive(context: ChannelHandlerContext) {
        cancelAll()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            headerTask?.cancel()
            headerTask = nil
            readingBody = true
            bytesThisWindow = 0
            windowsElapsed = 0
            armWindow(context)
        case .body(let buffer):
            bytesThisWindow += buffer.readableBytes
        case .end:
            readingBody = false
            windowTask?.cancel()
            windowTask = nil
        }
        context.fireChannelRead(data)
    }

    private func armHeaderDeadline(_ context: ChannelHandlerContext) {
        guard headerTask == nil, !readingBody else { return }
        headerTask = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: .seconds(limits.headerSeconds)) {
            self.headerTask = nil
            self.close(context, .slowHeader)
        }
    }

    private func armWindow(_ context: ChannelHandlerContext) {
        windowTask?.cancel()
        windowTask = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: .seconds(limits.bodyWindowSeconds)) {
            self.windowTask = nil
            guard self.readingBody else { return }
            self.windowsElapsed += 1
            if self.windowsElapsed * self.limits.bodyWindowSeconds >= self.limits.bodySecondsMax {
                self.close(context, .bodyTooLong)
            } else if self.bytesThisWindow < self.limits.bodyBytesPerWindowMin {
                self.close(context, .slowBody)
            } else {
                self.bytesThisWindow = 0
                self.armWindow(context)
            }
        }
    }

    private func close(_ context: ChannelHandlerContext, _ cause: Cause) {
        cancelAll()
        onClose(cause)
        context.close(promise: nil)
    }

    private func cancelAll() {
        headerTask?.cancel()
        headerTask = nil
        windowTask?.cancel()
        windowTask = nil
    }
}
