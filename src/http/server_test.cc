#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rd::http {
namespace {

std::uint16_t FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// One request on a new connection; the whole answer, or "" when the connection was refused
// or closed before any answer.
std::string Get(std::uint16_t port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    const std::string req = "GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size())) {
      char buf[4096];
      ssize_t n;
      while ((n = ::recv(fd, buf, sizeof(buf), 0)) > 0) answer.append(buf, n);
    }
  }
  ::close(fd);
  return answer;
}

HttpResponse Text(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.Header("Content-Type", "text/plain");
  r.body = std::move(body);
  return r;
}

TEST(HttpServerTest, AnswersAndDecodesThePath) {
  ServerOptions opts;
  opts.port = FreePort();
  auto server = HttpServer::Start(opts, [](HttpRequest& req, auto answer) {
    answer(Text(200, req.method + " " + req.path + " " + req.query["q"]));
  });
  ASSERT_TRUE(server.has_value()) << server.error().message;
  const std::string answer = Get(opts.port, "/a%20b?q=x+y");
  EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer;
  EXPECT_NE(answer.find("\r\n\r\nGET /a b x y"), std::string::npos) << answer;
  (*server)->Stop();
  EXPECT_EQ(Get(opts.port, "/"), "");  // no longer listening
}

TEST(HttpServerTest, RefusesAPortInUseNamingIt) {
  ServerOptions opts;
  opts.port = FreePort();
  auto first = HttpServer::Start(opts, [](HttpRequest&, auto answer) { answer(Text(200, "")); });
  ASSERT_TRUE(first.has_value());
  auto second = HttpServer::Start(opts, [](HttpRequest&, auto answer) { answer(Text(200, "")); });
  ASSERT_FALSE(second.has_value());
  EXPECT_NE(second.error().message.find("127.0.0.1:" + std::to_string(opts.port)),
            std::string::npos)
      << second.error().message;
}

// An answer owed when Stop() begins is still sent; a request that arrives while it waits for
// that answer gets 503.
TEST(HttpServerTest, StopSendsTheAnswersOwedAndRefusesNewOnes) {
  ServerOptions opts;
  opts.port = FreePort();
  std::mutex mu;
  std::condition_variable cv;
  std::function<void(HttpResponse)> held;
  auto server = HttpServer::Start(opts, [&](HttpRequest& req, auto answer) {
    if (req.path != "/slow") return answer(Text(200, "fast"));
    std::lock_guard lock(mu);
    held = std::move(answer);
    cv.notify_all();
  });
  ASSERT_TRUE(server.has_value());
  std::string slow;
  std::thread client([&] { slow = Get(opts.port, "/slow"); });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return held != nullptr; });
  }
  std::thread stopper([&] { (*server)->Stop(); });
  // Stop() is now waiting for the held answer: new requests are refused until it is given.
  std::string refused;
  for (int i = 0; i < 2000 && refused.find(" 503 ") == std::string::npos; ++i) {
    refused = Get(opts.port, "/fast");
    if (refused.find(" 503 ") == std::string::npos) std::this_thread::yield();
  }
  EXPECT_NE(refused.find("HTTP/1.1 503 "), std::string::npos) << refused;
  EXPECT_NE(refused.find("Retry-After: 5"), std::string::npos) << refused;
  {
    std::lock_guard lock(mu);
    held(Text(200, "slow answer"));
  }
  stopper.join();
  client.join();
  EXPECT_EQ(slow.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << slow;
  EXPECT_NE(slow.find("slow answer"), std::string::npos) << slow;
}

// Stopping while connections stream in on every I/O thread: each answer that arrives is whole
// (200, or 503 once stopping), and the stop itself is clean (under the sanitizers, a listener
// closed while another thread starts the next accept shows as a null descriptor in Asio).
TEST(HttpServerTest, StopsCleanlyWhileConnectionsStreamIn) {
  for (int round = 0; round < 200; ++round) {
    ServerOptions opts;
    opts.port = FreePort();
    opts.threads = 4;
    std::atomic<int> answered{0};
    auto server = HttpServer::Start(opts, [&](HttpRequest&, auto answer) {
      ++answered;
      answer(Text(200, "ok"));
    });
    ASSERT_TRUE(server.has_value());
    std::atomic<bool> done{false};
    std::atomic<int> bad{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < 8; ++c) {
      clients.emplace_back([&] {
        while (!done) {
          const std::string a = Get(opts.port, "/");
          if (!a.empty() && a.rfind("HTTP/1.1 200 OK\r\n", 0) != 0 &&
              a.rfind("HTTP/1.1 503 ", 0) != 0) {
            ++bad;
          }
        }
      });
    }
    while (answered < 10) std::this_thread::yield();
    (*server)->Stop();
    done = true;
    for (auto& t : clients) t.join();
    EXPECT_EQ(bad, 0);
  }
}

}  // namespace
}  // namespace rd::http
