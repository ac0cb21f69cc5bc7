#include "http/multipart.h"

#include <gtest/gtest.h>

namespace rd::http {
namespace {

TEST(Multipart, FindsTheNamedFieldWithItsFilename) {
  const std::string body =
      "--xyz\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
      "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"export.mbox\"\r\n"
      "Content-Type: application/mbox\r\n\r\nFrom a\r\nline two\r\n--xyz--\r\n";
  auto f = FindFormField("multipart/form-data; boundary=xyz", body, "file");
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->content, "From a\r\nline two");
  EXPECT_EQ(f->filename, "export.mbox");
  auto quoted = FindFormField("multipart/form-data; boundary=\"xyz\"", body, "note");
  ASSERT_TRUE(quoted);
  EXPECT_EQ(quoted->content, "hello");
}

TEST(Multipart, NamesWhatIsMissing) {
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--b--";
  auto missing = FindFormField("multipart/form-data; boundary=b", body, "file");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message.rfind("file: missing multipart field", 0), 0u);
  EXPECT_FALSE(FindFormField("multipart/form-data", body, "file"));
  EXPECT_FALSE(FindFormField("multipart/form-data; boundary=b",
                             "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx",
                             "file"));
}

TEST(Multipart, MediaTypeDropsParameters) {
  EXPECT_EQ(MediaType("Text/CSV; charset=utf-8"), "text/csv");
  EXPECT_EQ(MediaType(""), "");
}

}  // namespace
}  // namespace rd::http
