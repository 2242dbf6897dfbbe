// CsvReader: fields, columns and line numbers for plain lines (the fast path), quoted fields, CRLF, comment
// and blank lines, and malformed records (the general path).
#include "lib/util/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tollguard {
namespace {

struct Record {
  uint32_t line;
  std::vector<std::string> texts;
  std::vector<uint32_t> columns;
  std::string error;
};

std::vector<Record> ReadAll(std::string_view text) {
  CsvReader r(text);
  std::vector<CsvField> fields;
  absl::Status err;
  std::vector<Record> out;
  while (r.Next(&fields, &err)) {
    Record rec{r.line(), {}, {}, std::string(err.message())};
    for (const CsvField& f : fields) {
      rec.texts.emplace_back(f.text);
      rec.columns.push_back(f.column);
    }
    out.push_back(rec);
  }
  return out;
}

TEST(CsvReaderTest, PlainLinesWithColumnsAndLineNumbers) {
  const auto recs = ReadAll("# header comment\n44,UK,0.02\n\n4420,,0.1\r\n,\n33,FR,0.03");
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[0].line, 2u);
  EXPECT_EQ(recs[0].texts, (std::vector<std::string>{"44", "UK", "0.02"}));
  EXPECT_EQ(recs[0].columns, (std::vector<uint32_t>{1, 4, 7}));
  EXPECT_EQ(recs[1].line, 4u);
  EXPECT_EQ(recs[1].texts, (std::vector<std::string>{"4420", "", "0.1"}));  // CRLF: no '\r' in the text
  EXPECT_EQ(recs[1].columns, (std::vector<uint32_t>{1, 6, 7}));
  EXPECT_EQ(recs[2].texts, (std::vector<std::string>{"", ""}));
  EXPECT_EQ(recs[2].line, 5u);
  EXPECT_EQ(recs[3].line, 6u);  // the last line without a newline
  EXPECT_EQ(recs[3].texts, (std::vector<std::string>{"33", "FR", "0.03"}));
}

TEST(CsvReaderTest, QuotedFieldsAndLinesAfterThem) {
  const auto recs = ReadAll("+44,\"United Kingdom, fixed\",0.02\n\"a\"\"b\",\"multi\nline\"\n7,x,1\n");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].texts, (std::vector<std::string>{"+44", "United Kingdom, fixed", "0.02"}));
  EXPECT_EQ(recs[0].columns, (std::vector<uint32_t>{1, 5, 29}));
  EXPECT_EQ(recs[1].texts, (std::vector<std::string>{"a\"b", "multi\nline"}));
  EXPECT_EQ(recs[1].line, 2u);
  EXPECT_EQ(recs[2].line, 4u);  // the quoted newline counted
  EXPECT_EQ(recs[2].texts, (std::vector<std::string>{"7", "x", "1"}));
}

TEST(CsvReaderTest, MalformedRecordsAreReportedAndSkipped) {
  auto recs = ReadAll("44,\"open\n");
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_NE(recs[0].error.find("unterminated quote"), std::string::npos);
  recs = ReadAll("44,\"a\"b,1\n55,c,2\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_NE(recs[0].error.find("line 1 column 7: text after a closing quote"), std::string::npos) << recs[0].error;
  EXPECT_EQ(recs[1].line, 2u);
  EXPECT_EQ(recs[1].texts, (std::vector<std::string>{"55", "c", "2"}));
}

TEST(CsvReaderTest, ABareCarriageReturnEndsARecordAsBefore) {
  const auto recs = ReadAll("1,2\r3,4\n5,6\n");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].texts, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(recs[1].texts, (std::vector<std::string>{"3", "4"}));
  EXPECT_EQ(recs[2].texts, (std::vector<std::string>{"5", "6"}));
}

}  // namespace
}  // namespace tollguard
