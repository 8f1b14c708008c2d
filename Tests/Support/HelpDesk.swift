import Foundation

/// One answer of `GET /requests/technician-views` (docs/api.md), as a test reads it.
public struct QueueAnswer {
    /// The QueueItems of the page, as raw JSON objects.
    public var items: [[String: Any]]
    /// Every view's count, keyed by the wire's camelCase names (`unassigned`, `myUnsolved`, ...).
    public var counts: [String: Int]
    public var total: Int

    public var ids: [String] { items.compactMap { $0["id"] as? String } }

    public func item(titled subject: String) -> [String: Any]? {
        items.first { $0["subject"] as? String == subject }
    }

    public func item(id: String) -> [String: Any]? {
        items.first { $0["id"] as? String == id }
    }
}

extension ReferenceServer {
    /// The first 100 members of a queue view as `user` (a technician) sees it; `view` is the
    /// wire's snake_case name (`unassigned`, `my_unsolved`, ...).
    public func technicianView(_ view: String, user: String = "bob") throws -> QueueAnswer {
        let answer = try request("GET", "/api/v1/requests/technician-views?view=\(view)&per_page=100", token: login(user))
        guard answer.status == 200, let object = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any],
              let items = object["data"] as? [[String: Any]], let counts = object["counts"] as? [String: Int] else {
            throw TestSupportError.unexpectedAnswer(answer.status, answer.body)
        }
        return QueueAnswer(items: items, counts: counts, total: object["total"] as? Int ?? -1)
    }

    /// The id of the request titled `title` in a view of `user`.
    public func chatID(inView view: String, titled title: String, user: String = "bob") throws -> String {
        guard let id = try technicianView(view, user: user).item(titled: title)?["id"] as? String else {
            throw TestSupportError.unexpectedAnswer(0, "no request titled \(title) in \(user)'s \(view)")
        }
        return id
    }

    /// `POST /requests/{id}/take` as `user`, through the API (not the test control).
    @discardableResult
    public func take(chatID: String, user: String) throws -> (status: Int, body: String) {
        try request("POST", "/api/v1/requests/\(chatID)/take", token: login(user))
    }

    /// Sets a request's status by name (`Open`, `In Progress`, `Waiting for User`, `Solved`,
    /// `Closed`) through the test control.
    public func setStatus(chatID: String, _ status: String) throws {
        let body = try JSONSerialization.data(withJSONObject: ["status": status])
        let answer = try request("POST", "/_test/chats/\(chatID)/status", json: String(decoding: body, as: UTF8.self))
        guard answer.status == 200 else { throw TestSupportError.unexpectedAnswer(answer.status, answer.body) }
    }
}
