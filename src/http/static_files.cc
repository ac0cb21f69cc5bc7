#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "http/json_body.h"

namespace rd::http {
namespace fs = std::filesystem;

StaticFiles::StaticFiles(std::string root) {
  std::error_code ec;
  if (root.empty() || !fs::is_directory(root, ec)) return;
  root_ = fs::canonical(root, ec).string();
  if (ec) root_.clear();
}

std::string ContentTypeFor(const std::string& name) {
  const std::string ext = fs::path(name).extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

HttpResponse StaticFiles::Serve(const std::string& path) const {
  const auto not_found = [] { return ErrorResponse(core::Errc::kNotFound, "no such page"); };
  if (root_.empty()) return not_found();
  if (path.find('\0') != std::string::npos || path.find('\\') != std::string::npos) {
    return not_found();
  }
  for (const auto& part : fs::path(path)) {
    if (part == "..") return not_found();
  }
  std::string relative = path;
  while (!relative.empty() && relative.front() == '/') relative.erase(0, 1);
  fs::path candidate = fs::path(root_) / relative;
  std::error_code ec;
  if (relative.empty() || fs::is_directory(candidate, ec)) candidate /= "index.html";
  if (!fs::exists(candidate, ec) && fs::path(relative).extension().empty()) {
    // A client-side route: the index.html of the nearest enclosing page, so that
    // /privacy/requests/{id} is the Privacy Center's page and /requests/{id} the console's.
    candidate = fs::path(root_) / "index.html";
    for (fs::path dir = fs::path(relative).parent_path(); !dir.empty(); dir = dir.parent_path()) {
      const fs::path page = fs::path(root_) / dir / "index.html";
      if (fs::is_regular_file(page, ec)) {
        candidate = page;
        break;
      }
    }
  }
  const fs::path real = fs::canonical(candidate, ec);
  if (ec) return not_found();
  const std::string real_str = real.string();
  if (real_str.compare(0, root_.size(), root_) != 0 ||
      (real_str.size() > root_.size() && real_str[root_.size()] != '/')) {
    return not_found();  // a symlink pointing outside the root
  }
  if (!fs::is_regular_file(real, ec)) return not_found();
  std::ifstream in(real, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  HttpResponse r;
  r.body = buf.str();
  r.Header("Content-Type", ContentTypeFor(real_str));
  r.Header("X-Content-Type-Options", "nosniff");
  r.Header("Cache-Control", real.filename() == "index.html" ? "no-cache" : "public, max-age=3600");
  return r;
}

}  // namespace rd::http
