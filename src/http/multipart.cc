#include "http/multipart.h"

#include <cctype>

namespace rd::http {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The value of parameter `key` in "form-data; name=\"file\"; filename=\"a.mbox\"".
std::string Param(std::string_view header, const std::string& key) {
  const std::string lower = Lower(header);
  std::size_t pos = 0;
  while ((pos = lower.find(key + "=", pos)) != std::string::npos) {
    const bool boundary_ok = pos == 0 || lower[pos - 1] == ';' || lower[pos - 1] == ' ';
    pos += key.size() + 1;
    if (!boundary_ok) continue;
    if (pos < header.size() && header[pos] == '"') {
      const auto end = header.find('"', pos + 1);
      if (end == std::string_view::npos) return {};
      return std::string(header.substr(pos + 1, end - pos - 1));
    }
    const auto end = header.find(';', pos);
    std::string v(header.substr(pos, end == std::string_view::npos ? end : end - pos));
    while (!v.empty() && v.back() == ' ') v.pop_back();
    return v;
  }
  return {};
}

}  // namespace

std::string MediaType(const std::string& content_type) {
  std::string t = Lower(content_type.substr(0, content_type.find(';')));
  const auto b = t.find_first_not_of(' ');
  const auto e = t.find_last_not_of(' ');
  return b == std::string::npos ? std::string() : t.substr(b, e - b + 1);
}

core::Result<FormField> FindFormField(const std::string& content_type, std::string_view body,
                                      const std::string& name) {
  const std::string boundary = Param(content_type, "boundary");
  if (boundary.empty() || boundary.size() > 200) {
    return core::Fail(core::Errc::kInvalidArgument,
                      "Content-Type: multipart/form-data needs a boundary parameter");
  }
  const std::string delimiter = "--" + boundary;
  std::size_t pos = body.find(delimiter);
  while (pos != std::string_view::npos) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") break;  // the closing delimiter
    const auto headers_start = body.find('\n', pos);
    if (headers_start == std::string_view::npos) break;
    auto headers_end = body.find("\r\n\r\n", headers_start);
    std::size_t content_start = headers_end + 4;
    if (const auto lf = body.find("\n\n", headers_start); lf < headers_end) {
      headers_end = lf;
      content_start = lf + 2;
    }
    if (headers_end == std::string_view::npos) break;
    const std::string_view headers = body.substr(headers_start + 1, headers_end - headers_start);
    const auto next = body.find(delimiter, content_start);
    if (next == std::string_view::npos) {
      return core::Fail(core::Errc::kInvalidArgument,
                        "body: the multipart body has no closing boundary");
    }
    std::size_t content_end = next;
    if (content_end >= 2 && body.substr(content_end - 2, 2) == "\r\n") {
      content_end -= 2;
    } else if (content_end >= 1 && body[content_end - 1] == '\n') {
      content_end -= 1;
    }
    // The Content-Disposition line of this part.
    std::string disposition;
    std::size_t line_start = 0;
    while (line_start < headers.size()) {
      auto line_end = headers.find('\n', line_start);
      if (line_end == std::string_view::npos) line_end = headers.size();
      const std::string_view line = headers.substr(line_start, line_end - line_start);
      if (Lower(line.substr(0, 20)) == "content-disposition:") {
        disposition = std::string(line.substr(20));
        if (!disposition.empty() && disposition.back() == '\r') disposition.pop_back();
      }
      line_start = line_end + 1;
    }
    if (Param(disposition, "name") == name) {
      return FormField{body.substr(content_start, content_end - content_start),
                       Param(disposition, "filename")};
    }
    pos = next;
  }
  return core::Fail(
      core::Errc::kInvalidArgument,
      name + ": missing multipart field (send the file as form field \"" + name + "\")");
}

}  // namespace rd::http
