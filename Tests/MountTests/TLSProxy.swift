import Foundation
import TestSupport

/// A TLS front for the reference server (which speaks plain http): python3's ssl module
/// terminates TLS with a certificate made for the test and forwards to the server.
final class TLSProxy {
    let url: String
    /// The certificate (PEM), which is its own CA: what --ca-file is given.
    let certificate: String
    private let process: Process
    private let directory: TemporaryDirectory

    static let script = """
        import socket, ssl, sys, threading
        cert, key, target = sys.argv[1], sys.argv[2], int(sys.argv[3])
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        print(listener.getsockname()[1], flush=True)
        def pipe(source, sink):
            try:
                while True:
                    data = source.recv(65536)
                    if not data:
                        break
                    sink.sendall(data)
            except OSError:
                pass
            for s in (source, sink):
                try:
                    s.close()
                except OSError:
                    pass
        def serve(client):
            try:
                secure = context.wrap_socket(client, server_side=True)
            except (ssl.SSLError, OSError):
                client.close()
                return
            upstream = socket.create_connection(("127.0.0.1", target))
            threading.Thread(target=pipe, args=(upstream, secure), daemon=True).start()
            pipe(secure, upstream)
        while True:
            connection, _ = listener.accept()
            threading.Thread(target=serve, args=(connection,), daemon=True).start()
        """

    /// `names`: the certificate's subjectAltName entries, e.g. `IP:127.0.0.1`.
    init(forwardingTo server: ReferenceServer, names: String = "IP:127.0.0.1") throws {
        directory = try TemporaryDirectory("chatfs-tls")
        certificate = directory.path + "/cert.pem"
        let key = directory.path + "/key.pem"
        let made = try run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
                            "-days", "2", "-subj", "/CN=chatfs test", "-addext", "subjectAltName=\(names)"])
        guard made.succeeded else { throw TestSupportError.serverDidNotStart("openssl: \(made.stderr)") }
        let scriptPath = directory.path + "/proxy.py"
        try Self.script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let portFile = directory.path + "/port"
        _ = FileManager.default.createFile(atPath: portFile, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptPath, certificate, key, String(server.port)]
        process.standardOutput = FileHandle(forWritingAtPath: portFile)
        process.standardError = FileHandle.nullDevice
        try process.run()
        var port: Int?
        _ = eventually(timeout: 30, interval: 0.05) {
            port = Int(((try? String(contentsOfFile: portFile, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
            return port != nil || !process.isRunning
        }
        self.process = process
        url = "https://127.0.0.1:\(port ?? 0)"
        guard port != nil else {
            stop()
            throw TestSupportError.serverDidNotStart("the TLS proxy did not start")
        }
    }

    /// Kills this proxy (its PID only).
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }
}
