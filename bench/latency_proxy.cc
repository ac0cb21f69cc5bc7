#include "latency_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace rd::bench {
namespace {

using Clock = std::chrono::steady_clock;

// One direction of a connection: a reader stamps each chunk with its due time, a writer
// sends it then. An empty chunk is the end of the stream.
struct Pipe {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::pair<Clock::time_point, std::vector<char>>> chunks;
};

void NoDelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

void Forward(int from, int to, std::chrono::microseconds delay) {
  auto pipe = std::make_shared<Pipe>();
  std::thread([from, pipe, delay] {
    std::vector<char> buf(64 * 1024);
    for (;;) {
      const ssize_t n = read(from, buf.data(), buf.size());
      std::lock_guard<std::mutex> lock(pipe->mu);
      pipe->chunks.emplace_back(Clock::now() + delay,
                                std::vector<char>(buf.begin(), buf.begin() + (n > 0 ? n : 0)));
      pipe->cv.notify_one();
      if (n <= 0) return;
    }
  }).detach();
  std::thread([to, pipe] {
    for (;;) {
      std::pair<Clock::time_point, std::vector<char>> chunk;
      {
        std::unique_lock<std::mutex> lock(pipe->mu);
        pipe->cv.wait(lock, [&] { return !pipe->chunks.empty(); });
        chunk = std::move(pipe->chunks.front());
        pipe->chunks.pop_front();
      }
      std::this_thread::sleep_until(chunk.first);
      if (chunk.second.empty()) {
        shutdown(to, SHUT_WR);
        return;
      }
      for (std::size_t off = 0; off < chunk.second.size();) {
        const ssize_t n = write(to, chunk.second.data() + off, chunk.second.size() - off);
        if (n <= 0) return;
        off += static_cast<std::size_t>(n);
      }
    }
  }).detach();
}

[[noreturn]] void Die(const char* what) {
  std::perror(what);
  std::exit(2);
}

}  // namespace

LatencyProxy::LatencyProxy(std::string target_host, int target_port,
                           std::chrono::microseconds one_way)
    : host_(std::move(target_host)), target_port_(target_port), delay_(one_way) {
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (listener < 0 || bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listener, 64) != 0) {
    Die("latency proxy: listen");
  }
  socklen_t len = sizeof addr;
  getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  sockaddr_in target{};
  target.sin_family = AF_INET;
  target.sin_port = htons(static_cast<std::uint16_t>(target_port_));
  if (inet_pton(AF_INET, host_.c_str(), &target.sin_addr) != 1) Die("latency proxy: target host");
  std::thread([listener, target, delay = delay_] {
    for (;;) {
      const int client = accept(listener, nullptr, nullptr);
      if (client < 0) continue;
      const int upstream = socket(AF_INET, SOCK_STREAM, 0);
      if (connect(upstream, reinterpret_cast<const sockaddr*>(&target), sizeof target) != 0) {
        close(client);
        close(upstream);
        continue;
      }
      NoDelay(client);
      NoDelay(upstream);
      Forward(client, upstream, delay);
      Forward(upstream, client, delay);
    }
  }).detach();
}

}  // namespace rd::bench
