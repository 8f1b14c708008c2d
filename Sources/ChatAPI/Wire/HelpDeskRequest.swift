import Foundation

/// The request as `POST /requests/{id}/take|pickup|assign|unassign` return it (the fields
/// a client may use; the rest is ignored).
public struct HelpDeskRequest: Sendable, Equatable, Decodable {
    public var id: String
    public var statusId: Int?
    public var requesterId: String?
    public var createdAt: Date?
    public var updatedAt: Date?
    public var dueDate: Date?
}
