// Free loopback TCP ports for tests that must pass a port to a child process (HOUSE_STYLE §19).
#pragma once

namespace hub::testing {

// Binds 127.0.0.1:0, reads the port the kernel chose, closes the socket and returns the port.
// Another process could take it in between; tests that can read a bound port back should.
int FreeTcpPort();

}  // namespace hub::testing
