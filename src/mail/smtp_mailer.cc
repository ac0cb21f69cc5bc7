#include "mail/smtp_mailer.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <random>
#include <string_view>
#include <utility>
#include <vector>

#include "mail/mime_message.h"
#include "mail/smtp_errors.h"

namespace rd::mail {
namespace {

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;
using CurlList = std::unique_ptr<curl_slist, CurlDeleter>;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The message being uploaded, handed to libcurl piece by piece.
struct Upload {
  std::string_view rest;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->rest.size());
  std::memcpy(buffer, upload->rest.data(), n);
  upload->rest.remove_prefix(n);
  return n;
}

// libcurl reports failed MAIL, RCPT, DATA and end-of-data replies with error codes that differ
// between versions; the commands it sends (visible to a debug callback) say reliably which
// step failed. Only the command verb is looked at: the lines also carry addresses and, during
// AUTH, credentials, and none of that is kept.
int TrackPhase(CURL* /*curl*/, curl_infotype type, char* data, size_t size, void* user) {
  auto* phase = static_cast<SmtpPhase*>(user);
  const std::string_view line(data, size);
  if (type == CURLINFO_HEADER_OUT) {
    if (StartsWith(line, "EHLO ") || StartsWith(line, "HELO ") || StartsWith(line, "STARTTLS") ||
        StartsWith(line, "AUTH ")) {
      if (*phase == SmtpPhase::kConnect) *phase = SmtpPhase::kHello;
    } else if (StartsWith(line, "MAIL FROM:")) {
      *phase = SmtpPhase::kSender;
    } else if (StartsWith(line, "RCPT TO:")) {
      *phase = SmtpPhase::kRecipient;
    } else if (*phase == SmtpPhase::kRecipient && StartsWith(line, "DATA\r\n")) {
      *phase = SmtpPhase::kData;
    }
  } else if (type == CURLINFO_HEADER_IN && *phase == SmtpPhase::kData && StartsWith(line, "354")) {
    *phase = SmtpPhase::kBody;
  }
  return 0;
}

bool IsHostName(std::string_view host) {
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
           c == ':' || c == '[' || c == ']';
  });
}

// "host:port", with brackets around an IPv6 address.
std::string Authority(const SmtpOptions& options) {
  const bool ipv6 = options.host.find(':') != std::string::npos && options.host.front() != '[';
  return (ipv6 ? "[" + options.host + "]" : options.host) + ":" + std::to_string(options.port);
}

std::string NewMessageId(std::string_view from) {
  std::random_device random;
  std::string id = "<";
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 8; ++i) {
    const unsigned r = random();
    for (int k = 0; k < 4; ++k) id += kHex[(r >> (4 * k)) & 15];
  }
  const auto at = from.rfind('@');
  const std::string_view domain = at == std::string_view::npos ? "localhost" : from.substr(at + 1);
  return id + "@" + std::string(domain) + ">";
}

// Defence in depth for the promise that errors carry no personal data: should libcurl ever
// quote an address in its error text, it does not get out.
std::string WithoutAddresses(std::string message, const std::vector<std::string_view>& addresses) {
  for (const auto address : addresses) {
    if (address.empty()) continue;
    std::string lower = message;
    std::string needle(address);
    for (auto* s : {&lower, &needle}) {
      std::transform(s->begin(), s->end(), s->begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    }
    constexpr std::string_view kMask = "<address>";
    for (auto pos = lower.find(needle); pos != std::string::npos;
         pos = lower.find(needle, pos + kMask.size())) {
      message.replace(pos, needle.size(), kMask);
      lower.replace(pos, needle.size(), kMask);
    }
  }
  return message;
}

// One SMTP conversation: what the libcurl handle points to while it runs.
struct Conversation {
  std::string url;
  std::string mail_from;
  CurlList recipients;
  Upload upload;
  SmtpPhase phase = SmtpPhase::kConnect;
  char error_buffer[CURL_ERROR_SIZE] = {};
};

void Configure(CURL* c, const SmtpOptions& options, Conversation& conversation,
               curl_off_t message_size) {
  const long timeout = std::max(1, options.timeout_seconds);
  curl_easy_setopt(c, CURLOPT_URL, conversation.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for DNS timeouts: threads
  curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout);
  curl_easy_setopt(c, CURLOPT_USE_SSL,
                   static_cast<long>(options.starttls ? CURLUSESSL_ALL : CURLUSESSL_NONE));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, options.tls_verify ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, options.tls_verify ? 2L : 0L);
  if (!options.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, options.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, options.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, conversation.mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, conversation.recipients.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(c, CURLOPT_READDATA, &conversation.upload);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, message_size);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, conversation.error_buffer);
  // VERBOSE only makes libcurl call TrackPhase; nothing is printed.
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, TrackPhase);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, &conversation.phase);
  curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
}

}  // namespace

core::Status InitCurl() {
  // A function-local static is initialized exactly once, even with concurrent callers.
  static const CURLcode result = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (result != CURLE_OK) {
    return core::Fail(core::Errc::kInternal,
                      std::string("libcurl failed to start: ") + curl_easy_strerror(result));
  }
  return {};
}

SmtpMailer::SmtpMailer(SmtpOptions options, const core::Clock& clock)
    : options_(std::move(options)), clock_(clock) {}

core::Status SmtpMailer::Send(const core::OutgoingEmail& email) {
  if (auto st = InitCurl(); !st) return st;
  if (options_.host.empty()) {
    return core::Fail(core::Errc::kUnavailable, "no SMTP server is configured (smtp.host)");
  }
  const std::string server = Authority(options_);
  if (!IsHostName(options_.host) || options_.port < 1 || options_.port > 65535) {
    return core::Fail(core::Errc::kUnavailable, "SMTP server " + server +
                                                    " is not a valid host and port (smtp.host, "
                                                    "smtp.port)");
  }

  const std::string& from = email.from.empty() ? options_.from : email.from;
  const std::string message_id = email.message_id.empty() ? NewMessageId(from) : email.message_id;
  auto message = ComposeMessage(email, from, message_id, clock_.Now());
  if (!message) return tl::unexpected(message.error());

  // Declared before the handle, so it outlives it: curl_easy_cleanup still sends QUIT,
  // through TrackPhase and the error buffer.
  Conversation conversation;
  CurlHandle curl(curl_easy_init());
  conversation.url = "smtp://" + server;
  conversation.mail_from = "<" + from + ">";
  conversation.recipients.reset(curl_slist_append(nullptr, ("<" + email.to + ">").c_str()));
  conversation.upload.rest = *message;
  if (!curl || !conversation.recipients) {
    return core::Fail(core::Errc::kInternal, "libcurl: cannot create a handle");
  }
  CURL* c = curl.get();
  Configure(c, options_, conversation, static_cast<curl_off_t>(message->size()));
  const CURLcode result = curl_easy_perform(c);
  if (result == CURLE_OK) return {};

  SmtpFailure failure;
  failure.curl_code = result;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &failure.smtp_code);
  failure.phase = conversation.phase;
  failure.detail = conversation.error_buffer;
  core::Error error = DescribeSmtpFailure(failure, server);
  error.message = WithoutAddresses(std::move(error.message), {email.to, from});
  return tl::unexpected(std::move(error));
}

}  // namespace rd::mail
