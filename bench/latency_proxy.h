// A TCP forwarder on loopback that delays every chunk of bytes by a fixed time in each
// direction, so that a benchmark can put a database "on the network" (a LAN or another zone)
// while it runs on this machine: what a round trip costs then is what row-at-a-time work pays
// per statement. For benchmarks only: threads per connection, never stopped before exit.
#pragma once

#include <chrono>
#include <string>

namespace rd::bench {

// Listens on 127.0.0.1 (an ephemeral port) and forwards each connection to
// `target_host:target_port`, delaying each direction by `one_way`. Exits the process with a
// message when it cannot listen.
class LatencyProxy {
 public:
  LatencyProxy(std::string target_host, int target_port, std::chrono::microseconds one_way);
  int port() const { return port_; }

 private:
  std::string host_;
  int target_port_;
  std::chrono::microseconds delay_;
  int port_ = 0;
};

}  // namespace rd::bench
