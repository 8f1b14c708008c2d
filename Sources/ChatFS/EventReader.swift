import CFuse
import Foundation
import Locking

/// One open `.chatfs/events`: its queue, the reads waiting for data and the poll handle to
/// notify. Reads never block a FUSE worker: a read that finds nothing is parked (its
/// request kept) and answered by the thread that publishes the next event.
///
/// Lock order: `EventStream`'s table, then this reader's `state`; while holding `state`
/// only `fuse_req_interrupted` is called (it takes libfuse's session lock). libfuse calls
/// the interrupt function holding the request's lock, and it takes `state`. Replies, poll
/// notices and handle destruction happen after `state` is released.
final class EventReader: Sendable {
    /// A read waiting for data. `@unchecked Sendable`: the request pointer is owned by
    /// this reader's `state` lock until it is taken out to be answered, once; libfuse
    /// allows answering from any thread.
    struct ParkedRead: @unchecked Sendable {
        let request: fuse_req_t
        let size: Int
    }

    /// The kernel's poll handle. `@unchecked Sendable`: held under `state`, taken out to be
    /// notified and destroyed exactly once.
    struct PollHandle: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    /// What to do once the lock is released.
    struct Answers: Sendable {
        var reads: [(ParkedRead, [UInt8])] = []
        var poll: PollHandle?
        var discardedPoll: PollHandle?

        func send() {
            for (read, bytes) in reads { FuseReply.bytes(bytes).send(to: read.request) }
            if let poll {
                fuse_lowlevel_notify_poll(poll.pointer)
                fuse_pollhandle_destroy(poll.pointer)
            }
            if let discardedPoll { fuse_pollhandle_destroy(discardedPoll.pointer) }
        }
    }

    private struct State {
        var queue: EventQueue
        var parked: [ParkedRead] = []
        var poll: PollHandle?
        /// Closed (released, or the mount is ending): reads answer at once, 0 bytes at the end.
        var closed = false

        /// Hands queued bytes to parked reads, oldest first.
        mutating func serveParked() -> [(ParkedRead, [UInt8])] {
            var served: [(ParkedRead, [UInt8])] = []
            while !parked.isEmpty, !queue.isEmpty || closed {
                let read = parked.removeFirst()
                served.append((read, queue.take(upTo: read.size)))
            }
            return served
        }
    }

    private let state: Locked<State>

    init(capacity: Int = EventQueue.defaultCapacity) {
        state = Locked(State(queue: EventQueue(capacity: capacity)))
    }

    /// Queues lines and takes what they answer: parked reads, a poll waiting for them.
    func deliver(_ lines: [[UInt8]]) -> Answers {
        state.withLock { state in
            guard !state.closed else { return Answers() }
            for line in lines { state.queue.append(line) }
            var answers = Answers(reads: state.serveParked())
            if !state.queue.isEmpty || !answers.reads.isEmpty { answers.poll = state.poll.take() }
            return answers
        }
    }

    /// Data now if there is some (or the reader is closed), else nil: park the request.
    func takeAtOnce(upTo size: Int) -> [UInt8]? {
        state.withLock { state in
            state.queue.isEmpty && !state.closed ? nil : state.queue.take(upTo: size)
        }
    }

    /// Parks a read found empty, unless data came meanwhile (answered now) or the request
    /// was interrupted before it could be parked (EINTR now). Call after registering the
    /// interrupt function, so an interrupt either finds the read parked or is seen here.
    func park(_ read: ParkedRead) -> FuseReply {
        state.withLock { state in
            if !state.queue.isEmpty || state.closed { return .bytes(state.queue.take(upTo: read.size)) }
            if fuse_req_interrupted(read.request) != 0 { return .error(EINTR) }
            state.parked.append(read)
            return .deferred
        }
    }

    /// The kernel interrupted `request` (Ctrl-C on a blocked `cat`): EINTR if it is parked here.
    func interrupt(_ request: fuse_req_t) {
        let read = state.withLock { state -> ParkedRead? in
            guard let index = state.parked.firstIndex(where: { $0.request == request }) else { return nil }
            return state.parked.remove(at: index)
        }
        if let read { FuseReply.error(EINTR).send(to: read.request) }
    }

    /// POLLIN when data is queued (or the reader is closed); else keeps `handle` to notify.
    func poll(keeping handle: PollHandle?) -> (revents: UInt32, Answers) {
        state.withLock { state in
            var answers = Answers()
            if !state.queue.isEmpty || state.closed {
                answers.discardedPoll = handle
                return (UInt32(POLLIN | POLLRDNORM), answers)
            }
            if let handle {
                answers.discardedPoll = state.poll
                state.poll = handle
            }
            return (0, answers)
        }
    }

    /// Ends the reader: parked reads get 0 bytes (end of file), a waiting poll is woken.
    func close() -> Answers {
        state.withLock { state in
            state.closed = true
            return Answers(reads: state.serveParked(), poll: state.poll.take())
        }
    }
}
