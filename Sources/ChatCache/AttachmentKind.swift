/// The two kinds of attachment the server keeps apart (their ids are separate ranges).
public enum AttachmentKind: String, Sendable, CaseIterable {
    case screenshot
    case file
}
