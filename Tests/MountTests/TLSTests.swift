import Foundation
import Testing
import TestSupport

/// Defect 4: a refused certificate was taken for "offline": chatfs mounted and retried
/// forever. It is a configuration error, named, and a private CA can be trusted.
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct TLSTests {
    /// This machine's environment may name the system bundle in CURL_CA_BUNDLE, which
    /// would win over SSL_CERT_FILE: each test says what it wants.
    static let systemCAs = ["CURL_CA_BUNDLE": "", "SSL_CERT_FILE": ""]

    func mount(_ proxy: TLSProxy, _ extra: [String] = [], environment: [String: String] = systemCAs) throws
        -> (result: CommandResult, mount: DetachedMount, directories: [TemporaryDirectory])
    {
        let mountPoint = try TemporaryDirectory("chatfs-mnt")
        let cache = try TemporaryDirectory("chatfs-cache")
        let mount = DetachedMount(mountPoint: mountPoint.path)
        let result = try run([Binaries.chatfs, "mount", mountPoint.path, "--server", proxy.url, "--user", "alice",
                              "--cache-dir", cache.path] + extra, environment: environment)
        return (result, mount, [mountPoint, cache])
    }

    @Test func anUntrustedCertificateFailsTheMountAndSaysWhatToDo() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let proxy = try TLSProxy(forwardingTo: server)
        let (result, mount, _) = try mount(proxy)
        defer { mount.stop() }
        #expect(result.status == 78, "\(result.stderr)")
        #expect(result.stderr.contains("not signed by a trusted CA") && result.stderr.contains("--ca-file"), "\(result.stderr)")
        #expect(!result.stderr.contains("unreachable"))
        #expect(!mount.isMounted)
    }

    @Test func aCertificateForAnotherNameFailsTheMount() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let proxy = try TLSProxy(forwardingTo: server, names: "DNS:other.example")
        let (result, mount, _) = try mount(proxy, ["--ca-file", proxy.certificate])
        defer { mount.stop() }
        #expect(result.status == 78, "\(result.stderr)")
        #expect(result.stderr.contains("for another host name"), "\(result.stderr)")
        #expect(!mount.isMounted)
    }

    @Test func aPrivateCAIsTrustedFromCAFileOrTheEnvironment() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let proxy = try TLSProxy(forwardingTo: server)
        for (extra, environment) in [(["--ca-file", proxy.certificate], Self.systemCAs),
                                     ([], ["CURL_CA_BUNDLE": "", "SSL_CERT_FILE": proxy.certificate]),
                                     ([], ["CURL_CA_BUNDLE": proxy.certificate, "SSL_CERT_FILE": ""])] {
            let (result, mount, _) = try mount(proxy, extra, environment: environment)
            defer { mount.stop() }
            #expect(result.succeeded, "\(extra) \(environment): \(result.stderr)")
            #expect(try run(["ls", mount.mountPoint]).stdout.contains("Big history"))
            #expect(try run([Binaries.chatfs, "unmount", mount.mountPoint]).succeeded)
            #expect(mount.waitUntilGone())
        }
    }

    @Test func aCAFileThatCannotBeReadIsAConfigurationError() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let proxy = try TLSProxy(forwardingTo: server)
        let (result, mount, _) = try mount(proxy, ["--ca-file", "/nonexistent/ca.pem"])
        defer { mount.stop() }
        #expect(result.status == 78 && result.stderr.contains("cannot read the CA file /nonexistent/ca.pem"), "\(result.stderr)")
    }
}
