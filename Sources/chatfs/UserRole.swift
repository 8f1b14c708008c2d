import ChatAPI
import ChatCache
import Logging

/// Whether the user is a technician (the mount then keeps the queue views): the login
/// answer says (`isTechnician`, `isSuperAdmin`); a token login asks the queue views, which
/// answer 403 to a requester. Offline, the cache remembers the last answer.
enum UserRole {
    static func isTechnician(client: ChatClient, logsIn: Bool, cache: ChatCache, logger: Logger) -> Bool {
        do {
            let technician: Bool
            if logsIn {
                let user = try client.login().user
                technician = user.isTechnician == true || user.isSuperAdmin == true
            } else {
                technician = try answersQueueViews(client)
            }
            try cache.setMeta(.role, technician ? "technician" : "requester")
            return technician
        } catch {
            let stored = Self.stored(in: cache)
            logger.warning("cannot tell whether the user is a technician (\(error)); the cache says \(stored ? "technician" : "requester")")
            return stored
        }
    }

    /// The last answer, kept in the cache: what a mount that serves its cache at once
    /// starts with until its login answers.
    static func stored(in cache: ChatCache) -> Bool { (try? cache.meta(.role)) == "technician" }

    /// The queue views answer technicians and refuse requesters with 403.
    private static func answersQueueViews(_ client: ChatClient) throws -> Bool {
        let refusal: APIError
        do {
            _ = try client.technicianView(.myUnsolved, page: 1, perPage: 1)
            return true
        } catch {
            refusal = error
        }
        if case .permanent(let status, _) = refusal, status == 403 { return false }
        throw refusal
    }
}
