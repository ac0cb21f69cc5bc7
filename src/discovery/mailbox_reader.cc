#include "discovery/mailbox_reader.h"

#include <fcntl.h>
#include <gmime/gmime.h>
#include <strings.h>
#include <unistd.h>
#include <zip.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <mutex>

namespace rd::discovery {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxHeaderBytes = 256 * 1024;
constexpr std::uint64_t kMaxZipMboxBytes = std::uint64_t{256} * 1024 * 1024;
constexpr std::uint64_t kMaxZipEntries = 200000;

void InitGMime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

core::Status NotAMailbox(const std::string& what, const std::string& why) {
  return core::Fail(core::Errc::kInvalidArgument, what + ": " + why);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Unfolds a raw header value: line breaks and the whitespace after them go.
std::string Unfold(const char* raw) {
  std::string out;
  for (const char* p = raw; p != nullptr && *p != '\0'; ++p) {
    if (*p != '\r' && *p != '\n') out.push_back(*p == '\t' ? ' ' : *p);
  }
  return out;
}

void AddAddresses(InternetAddressList* list, std::vector<std::string>* out, int depth = 0) {
  if (list == nullptr || depth > 4) return;
  const int n = internet_address_list_length(list);
  for (int i = 0; i < n; ++i) {
    InternetAddress* a = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
      const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
      if (addr != nullptr && std::string_view(addr).find('@') != std::string_view::npos) {
        out->emplace_back(addr);
      }
    } else if (INTERNET_ADDRESS_IS_GROUP(a)) {
      AddAddresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)), out, depth + 1);
    }
  }
}

// Addresses of a header; when a sender wrapped the whole address in an RFC 2047 encoded-word,
// the decoded text is parsed again.
std::vector<std::string> AddressesOf(InternetAddressList* parsed, const char* raw) {
  std::vector<std::string> out;
  AddAddresses(parsed, &out);
  if (out.empty() && raw != nullptr && std::string_view(raw).find("=?") != std::string_view::npos) {
    char* decoded = g_mime_utils_header_decode_text(nullptr, raw);
    if (decoded != nullptr) {
      InternetAddressList* again = internet_address_list_parse(nullptr, decoded);
      AddAddresses(again, &out);
      if (again != nullptr) g_object_unref(again);
      g_free(decoded);
    }
  }
  return out;
}

// "<bounce-123@mail.mcsv.net>" → "mail.mcsv.net"; "<>" → "".
std::string ReturnPathHost(const std::string& value) {
  std::string v = value;
  const auto open = v.find('<');
  if (open != std::string::npos) {
    const auto close = v.find('>', open);
    v = v.substr(open + 1, close == std::string::npos ? std::string::npos : close - open - 1);
  }
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.pop_back();
  return HostOfAddress(v);
}

// The hosts of "<mailto:unsub@list.example.com?subject=x>, <https://example.com/u?id=1>".
std::vector<std::string> UnsubscribeHosts(const std::string& value) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while ((pos = value.find('<', pos)) != std::string::npos) {
    const auto close = value.find('>', pos);
    if (close == std::string::npos) break;
    std::string uri = value.substr(pos + 1, close - pos - 1);
    pos = close + 1;
    uri.erase(0, uri.find_first_not_of(' '));
    const std::string lower = Lower(uri.substr(0, 8));
    if (lower.rfind("mailto:", 0) == 0) {
      std::string addr = uri.substr(7);
      addr = addr.substr(0, addr.find('?'));
      out.push_back(HostOfAddress(addr));
    } else if (lower.rfind("https://", 0) == 0 || lower.rfind("http://", 0) == 0) {
      std::string rest = uri.substr(uri.find("//") + 2);
      rest = rest.substr(0, rest.find_first_of("/?#"));
      if (const auto at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
      out.push_back(rest.substr(0, rest.find(':')));
    }
  }
  return out;
}

// The d= tag of a DKIM-Signature ("v=1; a=rsa-sha256; d=mcsv.net; s=k1; ...").
std::string DkimDomain(const std::string& value) {
  std::size_t start = 0;
  while (start < value.size()) {
    auto end = value.find(';', start);
    if (end == std::string::npos) end = value.size();
    std::string tag = value.substr(start, end - start);
    tag.erase(0, tag.find_first_not_of(' '));
    if (tag.size() > 2 && (tag[0] == 'd' || tag[0] == 'D')) {
      auto eq = tag.find('=');
      if (eq != std::string::npos && tag.find_first_not_of(' ', 1) == eq) {
        std::string d = tag.substr(eq + 1);
        d.erase(0, d.find_first_not_of(' '));
        return d.substr(0, d.find(' '));
      }
    }
    start = end + 1;
  }
  return {};
}

MessageHeaders HeadersOf(GMimeMessage* msg) {
  MessageHeaders m;
  GMimeObject* obj = GMIME_OBJECT(msg);
  GMimeHeaderList* headers = g_mime_object_get_header_list(obj);
  auto raw = [&](const char* name) -> const char* {
    GMimeHeader* h = headers != nullptr ? g_mime_header_list_get_header(headers, name) : nullptr;
    return h != nullptr ? g_mime_header_get_raw_value(h) : nullptr;
  };
  for (const auto& addr : AddressesOf(g_mime_message_get_from(msg), raw("From"))) {
    m.sender_hosts.emplace_back(MailSignal::kFrom, HostOfAddress(addr));
  }
  for (const auto& addr : AddressesOf(g_mime_message_get_sender(msg), raw("Sender"))) {
    m.sender_hosts.emplace_back(MailSignal::kSender, HostOfAddress(addr));
  }
  const int n = headers != nullptr ? g_mime_header_list_get_count(headers) : 0;
  for (int i = 0; i < n; ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(headers, i);
    const char* name = g_mime_header_get_name(h);
    if (name == nullptr) continue;
    const std::string value = Unfold(g_mime_header_get_raw_value(h));
    if (strcasecmp(name, "Return-Path") == 0) {
      m.sender_hosts.emplace_back(MailSignal::kReturnPath, ReturnPathHost(value));
    } else if (strcasecmp(name, "List-Unsubscribe") == 0) {
      for (auto& host : UnsubscribeHosts(value)) {
        m.sender_hosts.emplace_back(MailSignal::kListUnsubscribe, std::move(host));
      }
    } else if (strcasecmp(name, "DKIM-Signature") == 0) {
      m.sender_hosts.emplace_back(MailSignal::kDkim, DkimDomain(value));
    }
  }
  AddAddresses(g_mime_message_get_to(msg), &m.recipients);
  AddAddresses(g_mime_message_get_cc(msg), &m.recipients);
  if (GDateTime* date = g_mime_message_get_date(msg); date != nullptr) {
    m.date = static_cast<core::UnixTime>(g_date_time_to_unix(date));
  }
  return m;
}

// True when `block` starts like a message header ("Name: value"), or with an mbox "From " line.
bool LooksLikeHeaders(std::string_view block) {
  if (block.rfind("From ", 0) == 0) return true;
  std::size_t i = 0;
  while (i < block.size() && block[i] > 32 && block[i] < 127 && block[i] != ':') ++i;
  return i > 0 && i < block.size() && block[i] == ':';
}

// Parses one message's header block; counts it or skips it.
void AddHeaderBlock(std::string_view block, MailboxTally& tally) {
  if (!LooksLikeHeaders(block)) {
    tally.Skip();
    return;
  }
  if (block.rfind("From ", 0) == 0) {  // an mbox separator line before the headers
    const auto nl = block.find('\n');
    block = nl == std::string_view::npos ? std::string_view() : block.substr(nl + 1);
  }
  std::string text(block);
  text += "\n\n";
  GMimeStream* stream = g_mime_stream_mem_new_with_buffer(text.data(), text.size());
  GMimeParser* parser = g_mime_parser_new_with_stream(stream);
  g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
  GMimeMessage* msg = g_mime_parser_construct_message(parser, nullptr);
  if (msg == nullptr) {
    tally.Skip();
  } else {
    tally.Add(HeadersOf(msg));
    g_object_unref(msg);
  }
  g_object_unref(parser);
  g_object_unref(stream);
}

// Reads an mbox stream message by message. Takes a reference of `stream`'s owner's.
core::Status ReadMboxStream(GMimeStream* stream, const std::string& what, MailboxTally& tally) {
  GMimeParser* parser = g_mime_parser_new_with_stream(stream);
  g_mime_parser_set_format(parser, GMIME_FORMAT_MBOX);
  // Message contents stay byte ranges of the stream: bodies are never loaded.
  g_mime_parser_set_persist_stream(parser, TRUE);
  std::int64_t messages = 0;
  gint64 last_offset = -1;
  while (!g_mime_parser_eos(parser)) {
    GMimeMessage* msg = g_mime_parser_construct_message(parser, nullptr);
    if (msg == nullptr) {
      // A message GMime could not make sense of: skipped, if the parser moved past it.
      const gint64 offset = g_mime_parser_tell(parser);
      if (messages == 0 || offset <= last_offset || g_mime_parser_eos(parser)) {
        if (messages > 0) tally.Skip();
        break;
      }
      last_offset = offset;
      tally.Skip();
      continue;
    }
    last_offset = g_mime_parser_tell(parser);
    ++messages;
    tally.Add(HeadersOf(msg));
    g_object_unref(msg);
  }
  g_object_unref(parser);
  if (messages == 0) {
    return NotAMailbox(what, "not an mbox (it does not start with a \"From \" line)");
  }
  return {};
}

core::Status ReadMboxBytes(std::string_view bytes, const std::string& what, MailboxTally& tally) {
  // GMime copies the buffer; uploads are bounded by the route's body limit.
  GMimeStream* stream = g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size());
  auto st = ReadMboxStream(stream, what, tally);
  g_object_unref(stream);
  return st;
}

// Reads a file up to the end of its headers.
bool ReadHeaderBlockFromFile(const fs::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->clear();
  char buf[8192];
  while (out->size() < kMaxHeaderBytes) {
    in.read(buf, sizeof buf);
    if (in.gcount() <= 0) break;
    out->append(buf, static_cast<std::size_t>(in.gcount()));
    if (HeaderBlock(*out).size() < out->size()) break;  // the headers ended
  }
  const auto block = HeaderBlock(*out);
  out->resize(block.size());
  return true;
}

bool IsMaildirFile(const fs::path& p) {
  const std::string parent = p.parent_path().filename().string();
  return (parent == "cur" || parent == "new") && p.filename().string().rfind('.', 0) != 0;
}

bool HasExtension(const std::string& name, std::string_view ext) {
  return name.size() > ext.size() && Lower(name.substr(name.size() - ext.size())) == ext;
}

// Reads the mail inside an open archive, then closes it.
core::Status ReadZipArchive(zip_t* za, const std::string& what, MailboxTally& tally) {
  std::int64_t used = 0;
  core::Status status;
  const zip_int64_t n = zip_get_num_entries(za, 0);
  for (zip_int64_t i = 0; i < n && static_cast<std::uint64_t>(i) < kMaxZipEntries; ++i) {
    zip_stat_t st;
    if (zip_stat_index(za, static_cast<zip_uint64_t>(i), 0, &st) != 0 || st.name == nullptr) {
      continue;
    }
    const std::string name = st.name;
    if (name.empty() || name.back() == '/' || name.find("__MACOSX") != std::string::npos) continue;
    const fs::path p(name);
    const bool message = IsMaildirFile(p) || HasExtension(name, ".eml");
    const bool mbox =
        HasExtension(name, ".mbox") || HasExtension(name, ".mbx") || p.filename() == "mbox";
    if (!message && !mbox) continue;
    ++used;
    zip_file_t* zf = zip_fopen_index(za, static_cast<zip_uint64_t>(i), 0);
    if (zf == nullptr) {
      tally.Skip();
      continue;
    }
    std::string data;
    const std::uint64_t cap = message ? kMaxHeaderBytes : kMaxZipMboxBytes;
    char buf[16384];
    zip_int64_t got = 0;
    while (data.size() < cap && (got = zip_fread(zf, buf, sizeof buf)) > 0) {
      data.append(buf, static_cast<std::size_t>(got));
      if (message && HeaderBlock(data).size() < data.size()) break;  // the headers ended
    }
    zip_fclose(zf);
    if (message) {
      AddHeaderBlock(HeaderBlock(data), tally);
    } else if (data.size() >= cap) {
      status = NotAMailbox(name, "an mbox inside a zip may be at most 256 MiB");
      break;
    } else if (auto s = ReadMboxBytes(data, name, tally); !s) {
      status = s;
      break;
    }
  }
  zip_close(za);
  if (!status) return status;
  if (used == 0) return NotAMailbox(what, "no Maildir (cur/, new/), .eml or .mbox files inside");
  return {};
}

core::Status ReadZip(std::string_view bytes, MailboxTally& tally) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  zip_t* za = src != nullptr ? zip_open_from_source(src, ZIP_RDONLY, &err) : nullptr;
  zip_error_fini(&err);
  if (za == nullptr) {
    if (src != nullptr) zip_source_free(src);
    return NotAMailbox("zip", "not a readable zip archive");
  }
  return ReadZipArchive(za, "zip", tally);
}

// A zip on disk is read entry by entry, never whole.
core::Status ReadZipFile(const std::string& path, const std::string& what, MailboxTally& tally) {
  int err = 0;
  zip_t* za = zip_open(path.c_str(), ZIP_RDONLY, &err);
  if (za == nullptr) return NotAMailbox(what, "not a readable zip archive");
  return ReadZipArchive(za, what, tally);
}

core::Status ReadFolder(const fs::path& dir, MailboxTally& tally) {
  std::error_code ec;
  const bool maildir = fs::is_directory(dir / "cur", ec) || fs::is_directory(dir / "new", ec);
  std::int64_t files = 0;
  std::string block;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) return NotAMailbox(dir.filename().string(), "cannot read the folder: " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (!it->is_regular_file(ec)) continue;
    const fs::path& p = it->path();
    const bool wanted = maildir ? IsMaildirFile(p) : HasExtension(p.filename().string(), ".eml");
    if (!wanted) continue;
    ++files;
    if (!ReadHeaderBlockFromFile(p, &block)) {
      tally.Skip();
      continue;
    }
    AddHeaderBlock(block, tally);
  }
  if (files == 0) {
    return NotAMailbox(dir.filename().string(),
                       "no Maildir (cur/, new/) and no .eml files in this folder");
  }
  return {};
}

}  // namespace

std::string_view HeaderBlock(std::string_view message) {
  const auto lf = message.find("\n\n");
  const auto crlf = message.find("\r\n\r\n");
  std::size_t end = std::min(lf, crlf);
  if (end == std::string_view::npos) end = message.size();
  if (end == lf)
    end += 1;  // keep the header's own line end
  else if (end == crlf)
    end += 2;
  return message.substr(0, std::min(end, kMaxHeaderBytes));
}

core::Status ReadMailboxPath(const std::string& path, MailboxTally& tally) {
  InitGMime();
  std::error_code ec;
  const fs::path p(path);
  const std::string what = p.filename().empty() ? path : p.filename().string();
  if (fs::is_directory(p, ec)) return ReadFolder(p, tally);
  if (!fs::is_regular_file(p, ec)) return NotAMailbox(what, "no such file or folder");
  char head[5] = {};
  {
    std::ifstream in(p, std::ios::binary);
    if (!in) return NotAMailbox(what, "cannot be opened");
    in.read(head, sizeof head);
    if (in.gcount() == 0) return NotAMailbox(what, "the file is empty");
  }
  if (std::string_view(head, 4) == std::string_view("PK\x03\x04", 4)) {
    return ReadZipFile(path, what, tally);
  }
  if (std::string_view(head, 5) == "From ") {
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NotAMailbox(what, "cannot be opened");
    GMimeStream* stream = g_mime_stream_fs_new(fd);  // owns and closes fd
    auto st = ReadMboxStream(stream, what, tally);
    g_object_unref(stream);
    return st;
  }
  std::string block;
  if (!ReadHeaderBlockFromFile(p, &block)) return NotAMailbox(what, "cannot be opened");
  if (!LooksLikeHeaders(block)) {
    return NotAMailbox(what, "not a mailbox (neither an mbox, an email message nor a zip)");
  }
  AddHeaderBlock(block, tally);
  return {};
}

core::Status ReadMailboxBytes(std::string_view bytes, core::MailboxFormat format,
                              MailboxTally& tally) {
  InitGMime();
  if (bytes.empty()) return NotAMailbox("body", "empty; send the mailbox export");
  if (format == core::MailboxFormat::kDetect) {
    if (bytes.rfind(std::string_view("PK\x03\x04", 4), 0) == 0) {
      format = core::MailboxFormat::kZip;
    } else if (bytes.rfind("From ", 0) == 0) {
      format = core::MailboxFormat::kMbox;
    } else {
      format = core::MailboxFormat::kEml;
    }
  }
  switch (format) {
    case core::MailboxFormat::kZip:
      return ReadZip(bytes, tally);
    case core::MailboxFormat::kMbox:
      return ReadMboxBytes(bytes, "body", tally);
    default: {
      const auto block = HeaderBlock(bytes);
      if (!LooksLikeHeaders(block)) {
        return NotAMailbox("body", "not an email message (it does not start with header lines)");
      }
      AddHeaderBlock(block, tally);
      return {};
    }
  }
}

}  // namespace rd::discovery
