#include "http/server.h"

#include <restinio/all.hpp>

#include <cctype>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

namespace rd::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

struct Traits : public restinio::default_traits_t {
  using logger_t = restinio::null_logger_t;
};

// The answers owed: requests handed to the handler whose answers are not yet written. Stop()
// waits for them, so that every request taken gets its answer before the server goes.
struct Pending {
  std::mutex mu;
  std::condition_variable cv;
  int owed = 0;
  bool stopping = false;
};

// Stopping: RESTinio's own stop() closes the listening socket on one I/O thread while another
// may be starting the next accept on it, a race inside Asio's reactor (seen as a null
// descriptor under the sanitizers). So the I/O context is stopped first and its threads
// joined; the listener is then closed on this thread, with nothing else running.
class RestinioServer final : public HttpServer {
 public:
  RestinioServer(std::shared_ptr<asio::io_context> io,
                 restinio::running_server_handle_t<Traits> handle, std::shared_ptr<Pending> pending)
      : io_(std::move(io)), handle_(std::move(handle)), pending_(std::move(pending)) {}
  ~RestinioServer() override { Stop(); }
  void Stop() override {
    if (!handle_) return;
    {
      std::unique_lock lock(pending_->mu);
      pending_->stopping = true;
      pending_->cv.wait_for(lock, std::chrono::minutes(1), [&] { return pending_->owed == 0; });
    }
    io_->stop();
    handle_->wait();  // joins the I/O threads
    handle_.reset();  // closes the listener (http_server_t's destructor), on this thread
    io_.reset();      // closes the connections still open, with the handlers that held them
  }

 private:
  std::shared_ptr<asio::io_context> io_;
  restinio::running_server_handle_t<Traits> handle_;
  std::shared_ptr<Pending> pending_;
};

restinio::http_status_line_t StatusLine(int status) {
  return restinio::http_status_line_t{
      restinio::http_status_code_t{static_cast<std::uint16_t>(status)}, ReasonPhrase(status)};
}

// Called once the answer has been written to the socket, or has failed to be (the client
// gone, the server stopped).
using Sent = std::function<void()>;

// Sends a streamed body: one piece, then the next once the socket has taken it, so that at
// most one piece is held whatever the body's size. Kept alive by the write callbacks; `sent`
// runs when the last of them lets go.
class StreamPump : public std::enable_shared_from_this<StreamPump> {
 public:
  using Output = restinio::response_builder_t<restinio::user_controlled_output_t>;
  StreamPump(Output resp, std::function<core::Result<std::optional<std::string>>()> next, Sent sent)
      : resp_(std::move(resp)), next_(std::move(next)), sent_(std::move(sent)) {}
  ~StreamPump() {
    if (sent_) sent_();
  }

  void Step() {
    auto piece = next_();
    if (!piece || !*piece) {
      // The end, or a failure midway: the response ends here, and the connection with it
      // (Connection: close), so a failure leaves the body shorter than its Content-Length.
      resp_.done([self = shared_from_this()](const asio::error_code&) {});
      return;
    }
    resp_.append_body(std::move(**piece));
    resp_.flush([self = shared_from_this()](const asio::error_code& ec) {
      if (!ec) self->Step();  // else the client has gone; the pump goes with the callback
    });
  }

 private:
  Output resp_;
  std::function<core::Result<std::optional<std::string>>()> next_;
  Sent sent_;
};

void Send(const restinio::request_handle_t& req, HttpResponse out, Sent sent) {
  if (out.body_stream) {
    auto resp = req->create_response<restinio::user_controlled_output_t>(StatusLine(out.status));
    for (auto& [name, value] : out.headers) resp.append_header(name, value);
    resp.set_content_length(static_cast<std::size_t>(out.stream_bytes));
    resp.connection_close();
    std::make_shared<StreamPump>(std::move(resp), std::move(out.body_stream), std::move(sent))
        ->Step();
    return;
  }
  auto resp = req->create_response(StatusLine(out.status));
  for (auto& [name, value] : out.headers) resp.append_header(name, value);
  resp.set_body(std::move(out.body));
  resp.done([sent = std::move(sent)](const asio::error_code&) {
    if (sent) sent();
  });
}

HttpRequest Convert(const restinio::request_handle_t& req) {
  HttpRequest out;
  out.method = req->header().method().c_str();
  const std::string_view target = req->header().path();
  if (!PercentDecode(target, false, &out.path)) out.path = std::string(target);
  const std::string_view query = req->header().query();
  std::size_t pos = 0;
  while (pos < query.size()) {
    std::size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    const std::string_view pair = query.substr(pos, amp - pos);
    const std::size_t eq = pair.find('=');
    std::string key;
    std::string value;
    if (PercentDecode(pair.substr(0, eq), true, &key) &&
        (eq == std::string_view::npos || PercentDecode(pair.substr(eq + 1), true, &value)) &&
        !key.empty()) {
      out.query.emplace(std::move(key), std::move(value));
    }
    pos = amp + 1;
  }
  req->header().for_each_field([&out](const restinio::http_header_field_t& f) {
    std::string name = f.name();
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto [it, inserted] = out.headers.emplace(std::move(name), f.value());
    if (!inserted) it->second += ", " + f.value();
  });
  out.body = req->body();
  const auto ep = req->remote_endpoint();
  out.remote_address = ep.address().to_string();
  return out;
}

}  // namespace

bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = HexValue(in[i + 1]);
      const int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return true;
}

core::Result<std::unique_ptr<HttpServer>> HttpServer::Start(const ServerOptions& opts,
                                                            Handler handler) {
  auto pending = std::make_shared<Pending>();
  auto settings =
      restinio::server_settings_t<Traits>{}
          .address(opts.host)
          .port(opts.port)
          .read_next_http_message_timelimit(std::chrono::seconds(opts.read_timeout_seconds))
          .handle_request_timeout(std::chrono::seconds(60))
          .incoming_http_msg_limits(
              restinio::incoming_http_msg_limits_t{}.max_body_size(opts.max_body_bytes))
          .request_handler(
              [handler = std::move(handler), pending](const restinio::request_handle_t& req) {
                {
                  std::lock_guard lock(pending->mu);
                  if (pending->stopping) {
                    HttpResponse busy;
                    busy.status = 503;
                    busy.Header("Content-Type", "application/json");
                    busy.Header("Retry-After", "5");
                    busy.body =
                        R"({"error":{"code":"unavailable","message":"the server is stopping"}})";
                    Send(req, std::move(busy), nullptr);
                    return restinio::request_accepted();
                  }
                  ++pending->owed;
                }
                HttpRequest in = Convert(req);
                // Owed until written: Stop() waits for the bytes to reach the socket.
                handler(in, [req, pending](HttpResponse out) {
                  Send(req, std::move(out), [pending] {
                    std::lock_guard lock(pending->mu);
                    if (--pending->owed == 0 && pending->stopping) pending->cv.notify_all();
                  });
                });
                return restinio::request_accepted();
              });
  try {
    auto io = std::make_shared<asio::io_context>();
    auto handle = restinio::run_async<Traits>(restinio::io_context_holder_t(io),
                                              std::move(settings), opts.threads);
    return std::unique_ptr<HttpServer>(
        new RestinioServer(std::move(io), std::move(handle), pending));
  } catch (const std::exception& e) {
    return core::Fail(core::Errc::kUnavailable, "cannot listen on " + opts.host + ":" +
                                                    std::to_string(opts.port) + ": " + e.what());
  }
}

}  // namespace rd::http
