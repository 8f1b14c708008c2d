/// The two forms of the mount's status in `.chatfs/`: for people, and the stable JSON for
/// scripts (and for `chatfs sync` and `chatfs unmount`).
public enum StatusFormat: Sendable, CaseIterable {
    case text
    case json

    var fileName: String {
        switch self {
        case .text: "status"
        case .json: "status.json"
        }
    }

    /// `.chatfs/status` cannot know the terminal that reads it: its table fits this width.
    static let textWidth = 100
}

extension ChatFilesystem {
    /// Where a mount shows its JSON status, relative to the mount point.
    public static let statusJSONPath = Node.controlDirectoryName + "/" + StatusFormat.json.fileName
}
