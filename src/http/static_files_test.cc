#include "http/static_files.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

namespace rd::http {
namespace {

namespace fs = std::filesystem;

constexpr char kIndex[] = "<!doctype html><title>Rightsdesk</title>";
constexpr char kAppJs[] = "console.log('app');";
constexpr char kSecret[] = "root:x:0:0";

void WriteFile(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string HeaderOf(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

// A web root beside directories that must never be served:
//   base/web/...       the root
//   base/outside/...   reachable only through symlinks
//   base/web2/...      a sibling whose name starts with the root's name
class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "/rd_static_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    base_ = tmpl;
    root_ = base_ / "web";
    WriteFile(root_ / "index.html", kIndex);
    WriteFile(root_ / "assets" / "app.js", kAppJs);
    WriteFile(root_ / "assets" / "app.css", "body{}");
    WriteFile(root_ / "favicon.svg", "<svg/>");
    WriteFile(root_ / "notes", "no extension");
    WriteFile(base_ / "outside" / "secret.txt", kSecret);
    WriteFile(base_ / "web2" / "secret.txt", kSecret);
    fs::create_symlink("../outside/secret.txt", root_ / "leak.txt");
    fs::create_directory_symlink("../outside", root_ / "outlink");
    fs::create_symlink("../web2/secret.txt", root_ / "sibling.txt");
    fs::create_symlink("assets/app.js", root_ / "alias.js");
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(base_, ec);
  }

  HttpResponse Serve(const std::string& path) { return StaticFiles(root_.string()).Serve(path); }

  static void ExpectNotFound(const HttpResponse& r, const std::string& path) {
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body.find(kSecret), std::string::npos) << path;
    const auto body = nlohmann::json::parse(r.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << path << ": " << r.body;
    EXPECT_EQ(body["error"]["code"], "not_found") << path;
  }

  fs::path base_;
  fs::path root_;
};

TEST_F(StaticFilesTest, ServesIndexForRoot) {
  const HttpResponse r = Serve("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kIndex);
  EXPECT_EQ(HeaderOf(r, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache");
  EXPECT_EQ(HeaderOf(r, "X-Content-Type-Options"), "nosniff");
}

TEST_F(StaticFilesTest, ServesFileWithItsContentType) {
  const HttpResponse js = Serve("/assets/app.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, kAppJs);
  EXPECT_EQ(HeaderOf(js, "Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(HeaderOf(js, "Cache-Control"), "public, max-age=3600");

  EXPECT_EQ(HeaderOf(Serve("/assets/app.css"), "Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(HeaderOf(Serve("/favicon.svg"), "Content-Type"), "image/svg+xml");
}

TEST_F(StaticFilesTest, ClientSideRouteFallsBackToIndex) {
  for (const char* path : {"/privacy", "/privacy/requests/req_1", "/console/inbox/"}) {
    const HttpResponse r = Serve(path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, kIndex) << path;
    EXPECT_EQ(HeaderOf(r, "Content-Type"), "text/html; charset=utf-8") << path;
  }
}

TEST_F(StaticFilesTest, ClientSideRouteFallsBackToNearestPage) {
  constexpr char kPrivacy[] = "<!doctype html><title>Privacy Center</title>";
  WriteFile(root_ / "privacy" / "index.html", kPrivacy);
  for (const char* path :
       {"/privacy", "/privacy/", "/privacy/requests/req_1", "/privacy/requests/req_1/verify"}) {
    EXPECT_EQ(Serve(path).body, kPrivacy) << path;
  }
  for (const char* path : {"/requests/req_1", "/privacyx/requests", "/"}) {
    EXPECT_EQ(Serve(path).body, kIndex) << path;
  }
}

TEST_F(StaticFilesTest, ExistingFileWithoutExtensionIsServedAsIs) {
  const HttpResponse r = Serve("/notes");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "no extension");
  EXPECT_EQ(HeaderOf(r, "Content-Type"), "application/octet-stream");
}

TEST_F(StaticFilesTest, MissingFileWithExtensionIsNotFound) {
  ExpectNotFound(Serve("/assets/missing.js"), "/assets/missing.js");
  ExpectNotFound(Serve("/robots.txt"), "/robots.txt");
}

TEST_F(StaticFilesTest, DotDotIsRefused) {
  for (const char* path : {"/../etc/passwd", "/a/../../x", "/assets/../../outside/secret.txt",
                           "/assets/../index.html", "/..", "../outside/secret.txt"}) {
    ExpectNotFound(Serve(path), path);
  }
}

TEST_F(StaticFilesTest, BackslashIsRefused) {
  ExpectNotFound(Serve("/..\\outside\\secret.txt"), "backslash");
  ExpectNotFound(Serve("/assets\\app.js"), "backslash");
}

TEST_F(StaticFilesTest, NulByteIsRefused) {
  const std::string path("/index.html\0.js", 15);
  ExpectNotFound(Serve(path), "NUL");
  ExpectNotFound(Serve(std::string("/\0", 2)), "NUL");
}

TEST_F(StaticFilesTest, SymlinkLeadingOutsideIsRefused) {
  ExpectNotFound(Serve("/leak.txt"), "/leak.txt");
  ExpectNotFound(Serve("/outlink/secret.txt"), "/outlink/secret.txt");
}

TEST_F(StaticFilesTest, SymlinkIntoSiblingWithSamePrefixIsRefused) {
  ExpectNotFound(Serve("/sibling.txt"), "/sibling.txt");
}

TEST_F(StaticFilesTest, SymlinkInsideRootIsServed) {
  const HttpResponse r = Serve("/alias.js");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kAppJs);
}

TEST_F(StaticFilesTest, MissingRootServesNothing) {
  const StaticFiles files((base_ / "does-not-exist").string());
  EXPECT_FALSE(files.enabled());
  ExpectNotFound(files.Serve("/"), "/");
  ExpectNotFound(files.Serve("/index.html"), "/index.html");
  EXPECT_FALSE(StaticFiles("").enabled());
}

TEST_F(StaticFilesTest, RootGivenThroughSymlinkStillWorks) {
  fs::create_directory_symlink(root_, base_ / "current");
  const StaticFiles files((base_ / "current").string());
  ASSERT_TRUE(files.enabled());
  EXPECT_EQ(files.Serve("/assets/app.js").body, kAppJs);
  ExpectNotFound(files.Serve("/leak.txt"), "/leak.txt");
}

TEST(ContentTypes, ByExtension) {
  EXPECT_EQ(ContentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.json"), "application/json");
  EXPECT_EQ(ContentTypeFor("a.png"), "image/png");
  EXPECT_EQ(ContentTypeFor("favicon.ico"), "image/x-icon");
  EXPECT_EQ(ContentTypeFor("font.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("robots.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("archive.tar.gz"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("noext"), "application/octet-stream");
}

}  // namespace
}  // namespace rd::http
