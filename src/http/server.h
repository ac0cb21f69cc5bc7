#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/result.h"
#include "http/message.h"

namespace rd::http {

// Gets a request and answers it through the callback, exactly once, from any thread.
using Handler = std::function<void(HttpRequest&, std::function<void(HttpResponse)>)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::size_t threads = 4;
  // Bodies larger than this are refused by the connection itself; route limits (smaller)
  // are checked by the router so that the client gets a JSON 413.
  std::uint64_t max_body_bytes = 8 * 1024 * 1024;
  int read_timeout_seconds = 30;
};

// The HTTP server: RESTinio on a thread pool, behind this small interface so that only
// server.cc pays its compile time. `handler` is called on pool threads, concurrently; an
// answer given later from another thread (after a queued write commits) is sent from there.
class HttpServer {
 public:
  // Starts listening and returns once the socket is bound. kUnavailable when the address is
  // in use or cannot be bound, naming it.
  [[nodiscard]] static core::Result<std::unique_ptr<HttpServer>> Start(const ServerOptions& opts,
                                                                       Handler handler);
  virtual ~HttpServer() = default;
  // Answers new requests 503, waits (up to a minute) for the answers still owed, then stops
  // the pool, closes the listener and the connections left, and returns.
  virtual void Stop() = 0;
};

// Percent-decoding for paths and query strings ('+' as space only when `plus_is_space`).
// False when an escape is malformed.
bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out);

}  // namespace rd::http
