// Every (region, type) example number of libphonenumber's metadata, dialed as +E164, must get
// libphonenumber's region and number type from the destination table: at least 99% each. The misses are
// printed; tools/gen_destination_table.py explains the known ones (length-only overlaps).
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "test_util.h"

namespace {

struct Example {
  std::string e164, region, type;
};

std::vector<Example> ReadExamples() {
  std::ifstream in(std::string(TG_SOURCE_DIR) + "/tests/data/example_numbers.csv");
  std::vector<Example> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("e164,", 0) == 0) continue;
    std::stringstream ss(line);
    Example ex;
    std::getline(ss, ex.e164, ',');
    std::getline(ss, ex.region, ',');
    std::getline(ss, ex.type, ',');
    out.push_back(ex);
  }
  return out;
}

TEST(ExampleNumbers, RegionAndTypeMatchLibphonenumberForAtLeast99Percent) {
  const std::vector<Example> examples = ReadExamples();
  ASSERT_GT(examples.size(), 900u);
  tgtest::EngineHolder h("JP", "Asia/Tokyo");
  ASSERT_EQ(h.status, TG_OK) << h.err.message;
  size_t region_ok = 0, type_ok = 0, normalized = 0;
  std::string misses;
  for (const Example& ex : examples) {
    tg_status st;
    const tg_decision d = h.Score("examples", "+" + ex.e164, tgtest::kWeekday10Jst, &st);
    if (st == TG_OK) ++normalized;
    const bool r = ex.region == d.country;
    const bool t = ex.type == tg_number_type_name(d.number_type);
    region_ok += r;
    type_ok += t;
    if (!r || !t) {
      misses += "  +" + ex.e164 + " expected " + ex.region + "/" + ex.type + " got " + d.country + "/" +
                tg_number_type_name(d.number_type) + " (status " + tg_status_string(st) + ")\n";
    }
  }
  const double n = static_cast<double>(examples.size());
  std::printf("example numbers: %zu, normalized %zu, region %.2f%%, type %.2f%%\nmisses:\n%s", examples.size(),
              normalized, 100.0 * region_ok / n, 100.0 * type_ok / n, misses.c_str());
  EXPECT_GE(region_ok / n, 0.99);
  EXPECT_GE(type_ok / n, 0.99);
}

}  // namespace
