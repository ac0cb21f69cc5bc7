#include "mail/pickup_mailer.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <utility>

#include "mail/mime_message.h"

namespace rd::mail {
namespace {

std::string RandomHex(int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device random;
  std::string out;
  while (static_cast<int>(out.size()) < digits) {
    const unsigned r = random();
    for (int k = 0; k < 8 && static_cast<int>(out.size()) < digits; ++k) {
      out += kHex[(r >> (4 * k)) & 15];
    }
  }
  return out;
}

std::string NewMessageId(const std::string& from) {
  const auto at = from.rfind('@');
  const std::string domain = at == std::string::npos ? "localhost" : from.substr(at + 1);
  return "<" + RandomHex(32) + "@" + domain + ">";
}

}  // namespace

PickupMailer::PickupMailer(std::string dir, std::string from, const core::Clock& clock)
    : dir_(std::move(dir)), from_(std::move(from)), clock_(clock) {}

core::Status PickupMailer::Send(const core::OutgoingEmail& email) {
  namespace fs = std::filesystem;
  const std::string& from = email.from.empty() ? from_ : email.from;
  const std::string message_id = email.message_id.empty() ? NewMessageId(from) : email.message_id;
  const core::UnixTime now = clock_.Now();
  auto message = ComposeMessage(email, from, message_id, now);
  if (!message) return tl::unexpected(message.error());

  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) {
    return core::Fail(core::Errc::kUnavailable,
                      "smtp.pickup_dir: cannot create " + dir_ + ": " + ec.message());
  }
  char seq[16];
  std::snprintf(seq, sizeof seq, "%06u", sequence_.fetch_add(1) % 1000000);
  const std::string name = std::to_string(now) + "-" + seq + "-" + RandomHex(8);
  const fs::path final_path = fs::path(dir_) / (name + ".eml");
  const fs::path temp_path = fs::path(dir_) / ("." + name + ".tmp");
  {
    std::ofstream out(temp_path, std::ios::binary | std::ios::trunc);
    out.write(message->data(), static_cast<std::streamsize>(message->size()));
    out.flush();
    if (!out) {
      out.close();
      fs::remove(temp_path, ec);
      return core::Fail(core::Errc::kUnavailable,
                        "smtp.pickup_dir: cannot write a message into " + dir_);
    }
  }
  fs::rename(temp_path, final_path, ec);
  if (ec) {
    fs::remove(temp_path, ec);
    return core::Fail(core::Errc::kUnavailable,
                      "smtp.pickup_dir: cannot write a message into " + dir_);
  }
  return {};
}

}  // namespace rd::mail
