// policy::ReadFile, used for policies, rate decks and override files: whole files byte for byte, and clear
// errors for what cannot be read (a directory used to read as an empty file, i.e. an empty policy).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "lib/policy/loader.h"

namespace tollguard::policy {
namespace {

TEST(ReadFileTest, ReadsWholeFilesByteForByte) {
  const std::string path = ::testing::TempDir() + "/tg_read_file_test.bin";
  std::string content(200000, 'x');
  content[5] = '\0';  // binary-safe
  content.back() = '\n';
  {
    std::ofstream f(path, std::ios::binary);
    f << content;
  }
  std::string got;
  ASSERT_TRUE(ReadFile(path, &got).ok());
  EXPECT_EQ(got, content);
  std::remove(path.c_str());
}

TEST(ReadFileTest, DirectoriesAndMissingFilesAreErrorsNamingThePath) {
  std::string got = "previous";
  absl::Status s = ReadFile(::testing::TempDir(), &got);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("is a directory"), std::string::npos) << s;
  s = ReadFile("/nonexistent/tg_policy.textproto", &got);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("cannot open /nonexistent/tg_policy.textproto"), std::string::npos) << s;
}

}  // namespace
}  // namespace tollguard::policy
