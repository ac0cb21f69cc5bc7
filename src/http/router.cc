#include "http/router.h"

#include <utility>

namespace rd::http {

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t slash = path.find('/', pos);
    if (slash == std::string::npos) slash = path.size();
    if (slash > pos) out.push_back(path.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return out;
}

void Router::Add(Route route) {
  segments_.push_back(SplitPath(route.pattern));
  routes_.push_back(std::move(route));
}

bool Router::MatchPattern(const std::vector<std::string>& pattern,
                          const std::vector<std::string>& path,
                          std::map<std::string, std::string>* params) {
  if (pattern.size() != path.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const std::string& p = pattern[i];
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      found[p.substr(1, p.size() - 2)] = path[i];
    } else if (p != path[i]) {
      return false;
    }
  }
  if (params != nullptr) *params = std::move(found);
  return true;
}

RouteMatch Router::Match(const std::string& method, const std::string& path,
                         std::map<std::string, std::string>* params) const {
  RouteMatch m;
  const auto parts = SplitPath(path);
  const std::string& effective = method == "HEAD" ? std::string("GET") : method;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (!MatchPattern(segments_[i], parts, nullptr)) continue;
    if (routes_[i].method == effective) {
      MatchPattern(segments_[i], parts, params);
      m.route = &routes_[i];
      return m;
    }
    m.path_matched = true;
    m.allow += (m.allow.empty() ? "" : ", ") + routes_[i].method;
  }
  return m;
}

}  // namespace rd::http
