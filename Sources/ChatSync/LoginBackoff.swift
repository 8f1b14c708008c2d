/// How long the poller waits after the server refused the login `refusals` times in a row
/// (an account made inactive, a user removed). Asking again every poll changes nothing and
/// costs the backend a login each time: twice as long after each refusal, from the active
/// poll interval up to the idle one (5, 10, 20, 40, 60, 60… s by default).
enum LoginBackoff {
    static func interval(refusals: Int, configuration: SyncConfiguration) -> Double {
        let first = configuration.pollInterval.seconds
        let longest = max(first, configuration.idlePollInterval.seconds)
        guard refusals > 0 else { return first }
        // The exponent is capped so that a long outage never overflows to infinity.
        return min(longest, first * Double(1 << min(refusals - 1, 20)))
    }
}
