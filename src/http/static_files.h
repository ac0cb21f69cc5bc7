#pragma once

#include <string>

#include "http/message.h"

namespace rd::http {

// Serves the built web assets from one directory. Paths are resolved inside `root` only:
// "..", encoded or not, NUL bytes, and symlinks that lead outside are refused (404). A path
// without a file extension that does not exist falls back to index.html, so that client-side
// routes (/privacy/requests/..) load the app.
class StaticFiles {
 public:
  explicit StaticFiles(std::string root);
  // 200 with the file, 404 JSON error otherwise. `path` is the decoded request path.
  HttpResponse Serve(const std::string& path) const;
  bool enabled() const { return !root_.empty(); }

 private:
  std::string root_;  // canonical, or empty when the directory does not exist
};

// Content-Type for a file name by its extension.
std::string ContentTypeFor(const std::string& name);

}  // namespace rd::http
