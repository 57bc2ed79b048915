// Tests of the diviml-platform-v1 reader (src/io/platform_json.cc): count
// expansion, link rules (both ways, directed, by type/entry, default,
// precedence) and every kind of bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "diviml/io/io.h"
#include "io_test_util.h"

namespace diviml {
namespace {

using testing_io::ErrorOf;
using testing_io::Mentions;

std::string PlatformText(const std::string& devices, const std::string& rest = "") {
  return R"({"format": "diviml-platform-v1", "devices": [)" + devices + "]" +
         (rest.empty() ? "" : ", " + rest) + "}";
}
const std::string kAB = R"({"name": "A"}, {"name": "B"})";
const std::string kDefault = R"("default_link": {"bandwidth_Bps": 10, "latency_s": 1})";

std::string PlatformError(const std::string& text) {
  return ErrorOf([&] { ParsePlatformJson(text, "p.json"); });
}
Platform Parse(const std::string& text) { return ParsePlatformJson(text, "dir/p.platform.json"); }

TEST(IoPlatform, Topcuoglu10) {
  Platform p = LoadPlatform(std::string(DIVIML_TEST_DATA) + "/topcuoglu10.platform.json");
  EXPECT_EQ(p.name, "topcuoglu2002-3proc");
  ASSERT_EQ(p.num_devices(), 3);
  for (int d = 0; d < 3; ++d) {
    EXPECT_EQ(p.devices[d].name, "P" + std::to_string(d + 1));
    EXPECT_EQ(p.devices[d].type, p.devices[d].name);
    EXPECT_TRUE(std::isinf(p.devices[d].memory_bytes));
  }
  EXPECT_EQ(p.TransferTime(0, 2, 18), 18.0);
  EXPECT_EQ(p.TransferTime(1, 1, 18), 0.0);
}

TEST(IoPlatform, CountExpansionAndFields) {
  Platform p = Parse(PlatformText(
      R"({"name": "cpu", "memory_bytes": 64e9, "peak_flops": 1e12, "mem_bandwidth_Bps": 1e11,
          "server": "s0"},
         {"name": "gpu", "type": "A100", "count": 3, "server": "s0"},
         {"name": "npu", "count": 2}, {"name": "one", "count": 1})",
      kDefault));
  EXPECT_EQ(p.name, "p");
  ASSERT_EQ(p.num_devices(), 7);
  EXPECT_EQ(p.devices[0].memory_bytes, 64e9);
  EXPECT_EQ(p.devices[0].peak_flops, 1e12);
  EXPECT_EQ(p.devices[0].mem_bandwidth_Bps, 1e11);
  EXPECT_EQ(p.devices[0].server, "s0");
  for (int c = 0; c < 3; ++c) {
    EXPECT_EQ(p.devices[1 + c].name, "gpu" + std::to_string(c));
    EXPECT_EQ(p.devices[1 + c].type, "A100");
    EXPECT_EQ(p.devices[1 + c].server, "s0");
  }
  EXPECT_EQ(p.devices[4].name, "npu0");
  EXPECT_EQ(p.devices[5].type, "npu");  // the entry's name
  EXPECT_EQ(p.devices[6].name, "one");
  EXPECT_EQ(p.TransferTime(1, 2, 20), 3.0);  // default link: 1 + 20 / 10
}

TEST(IoPlatform, LinksBothWaysAndDirected) {
  Platform p = Parse(PlatformText(
      R"({"name": "A"}, {"name": "B"}, {"name": "C"})",
      R"("links": [{"from": "A", "to": "B", "bandwidth_Bps": 2, "latency_s": 1},
                   {"from": "A", "to": "C", "bandwidth_Bps": 4, "latency_s": 0, "directed": true},
                   {"from": "C", "to": "A", "bandwidth_Bps": 8, "latency_s": 0, "both_ways": false},
                   {"from": "B", "to": "C", "bandwidth_Bps": "unlimited", "latency_s": 0.5}])"));
  EXPECT_EQ(p.TransferTime(0, 1, 4), 3.0);
  EXPECT_EQ(p.TransferTime(1, 0, 4), 3.0);
  EXPECT_EQ(p.TransferTime(0, 2, 8), 2.0);
  EXPECT_EQ(p.TransferTime(2, 0, 8), 1.0);
  EXPECT_EQ(p.TransferTime(1, 2, 1e9), 0.5);
  EXPECT_EQ(p.TransferTime(2, 1, 1e9), 0.5);
}

TEST(IoPlatform, DefaultLinkTypeLinksAndPrecedence) {
  Platform p = Parse(PlatformText(
      R"({"name": "cpu"}, {"name": "gpu", "count": 2}, {"name": "x", "type": "T"})",
      R"("links": [{"from": "cpu", "to": "gpu1", "bandwidth_Bps": 1, "latency_s": 7},
                   {"from": "gpu", "to": "cpu", "bandwidth_Bps": 1, "latency_s": 5},
                   {"from": "gpu", "to": "gpu", "bandwidth_Bps": 1, "latency_s": 3},
                   {"from": "T", "to": "gpu0", "bandwidth_Bps": 1, "latency_s": 2}], )" +
          kDefault));
  // cpu=0, gpu0=1, gpu1=2, x=3
  EXPECT_EQ(p.TransferTime(0, 1, 0), 5.0);  // group link
  EXPECT_EQ(p.TransferTime(0, 2, 0), 7.0);  // the named link beats the group link
  EXPECT_EQ(p.TransferTime(2, 0, 0), 7.0);
  EXPECT_EQ(p.TransferTime(1, 2, 0), 3.0);  // gpu <-> gpu: distinct pairs only
  EXPECT_EQ(p.TransferTime(3, 1, 0), 2.0);  // by type
  EXPECT_EQ(p.TransferTime(3, 0, 0), 1.0);  // default
  EXPECT_EQ(p.TransferTime(3, 2, 20), 3.0);
}

TEST(IoPlatform, MissingLinkWithoutDefault) {
  EXPECT_TRUE(Mentions(PlatformError(PlatformText(kAB)),
                       {"p.json", "no link from 'A' to 'B'", "default_link", "(links)"}));
  EXPECT_TRUE(Mentions(
      PlatformError(PlatformText(
          kAB, R"("links": [{"from": "A", "to": "B", "bandwidth_Bps": 1, "latency_s": 0, "directed": true}])")),
      {"no link from 'B' to 'A'"}));
  Platform one = Parse(PlatformText(R"({"name": "solo"})"));  // no pair to link
  EXPECT_EQ(one.num_devices(), 1);
}

TEST(IoPlatform, BadLinks) {
  auto link_error = [](const std::string& link) {
    return PlatformError(PlatformText(kAB, R"("links": [)" + link + "]"));
  };
  EXPECT_TRUE(Mentions(link_error(R"({"from": "A", "to": "B", "bandwidth_Bps": 0, "latency_s": 0})"),
                       {"p.json", "positive", "(links[0].bandwidth_Bps)"}));
  EXPECT_TRUE(Mentions(link_error(R"({"from": "A", "to": "B", "bandwidth_Bps": -3, "latency_s": 0})"),
                       {"negative", "(links[0].bandwidth_Bps)"}));
  EXPECT_TRUE(Mentions(link_error(R"({"from": "A", "to": "B", "bandwidth_Bps": "fast", "latency_s": 0})"),
                       {"unlimited", "(links[0].bandwidth_Bps)"}));
  EXPECT_TRUE(Mentions(link_error(R"({"from": "A", "to": "B", "bandwidth_Bps": 1, "latency_s": -1})"),
                       {"negative", "(links[0].latency_s)"}));
  EXPECT_TRUE(Mentions(link_error(R"({"from": "A", "to": "B", "bandwidth_Bps": 1})"),
                       {"'latency_s'", "(links[0].latency_s)"}));
  EXPECT_TRUE(Mentions(link_error(R"({"from": "A", "to": "Z", "bandwidth_Bps": 1, "latency_s": 0})"),
                       {"p.json", "unknown device or device type 'Z'", "(links[0].to)"}));
  EXPECT_TRUE(Mentions(link_error(R"({"from": "A", "to": "A", "bandwidth_Bps": 1, "latency_s": 0})"),
                       {"to itself", "(links[0].to)"}));
  EXPECT_TRUE(Mentions(link_error(R"({"from": "A", "to": "B", "bandwidth_Bps": 1, "latency_s": 0,
                                      "directed": true, "both_ways": true})"),
                       {"contradict", "(links[0].directed)"}));
  EXPECT_TRUE(Mentions(link_error(R"({"from": "A", "to": "B", "bandwidth_Bps": 1, "latency_s": 0, "directed": 1})"),
                       {"true or false", "(links[0].directed)"}));
  EXPECT_TRUE(Mentions(link_error(R"({"from": "A", "to": "B", "bandwidth_Bps": 1, "latency_s": 0},
                                     {"from": "B", "to": "A", "bandwidth_Bps": 2, "latency_s": 0})"),
                       {"given twice", "links[0]", "(links[1].from)"}));
  EXPECT_TRUE(Mentions(link_error(R"({"from": "A", "to": "B", "bandwidth_Bps": 1, "latency_s": 0, "bw": 1})"),
                       {"unknown field 'bw'", "(links[0].bw)"}));
  EXPECT_TRUE(Mentions(PlatformError(PlatformText(R"({"name": "A"}, {"name": "B", "type": "A"})",
      R"("links": [{"from": "A", "to": "A", "bandwidth_Bps": 1, "latency_s": 0}])")),
                       {"to itself"}));
  EXPECT_TRUE(Mentions(PlatformError(PlatformText(R"({"name": "A", "type": "T"}, {"name": "B"})",
      R"("links": [{"from": "T", "to": "T", "bandwidth_Bps": 1, "latency_s": 0}])")),
                       {"covers no pair", "(links[0].to)"}));
  EXPECT_TRUE(Mentions(PlatformError(PlatformText(kAB, R"("default_link": {"bandwidth_Bps": 0, "latency_s": 0})")),
                       {"positive", "(default_link.bandwidth_Bps)"}));
  EXPECT_TRUE(Mentions(PlatformError(PlatformText(kAB, R"("default_link": {"latency_s": 0})")),
                       {"'bandwidth_Bps'", "(default_link.bandwidth_Bps)"}));
  EXPECT_TRUE(Mentions(PlatformError(PlatformText(kAB, R"("links": {})")),
                       {"expected an array", "(links)"}));
}

TEST(IoPlatform, BadDevices) {
  EXPECT_TRUE(Mentions(PlatformError(R"({"format": "diviml-platform-v0", "devices": []})"),
                       {"p.json", "unknown format", "(format)"}));
  EXPECT_TRUE(Mentions(PlatformError(R"({"devices": []})"), {"p.json", "missing 'format'"}));
  EXPECT_TRUE(Mentions(PlatformError(R"({"format": "diviml-platform-v1"})"),
                       {"'devices'", "(devices)"}));
  EXPECT_TRUE(Mentions(PlatformError(PlatformText("")), {"no devices", "(devices)"}));
  EXPECT_TRUE(Mentions(PlatformError(PlatformText(R"({"type": "x"})", kDefault)),
                       {"'name'", "(devices[0].name)"}));
  EXPECT_TRUE(Mentions(PlatformError(PlatformText(R"({"name": "A"}, {"name": "A"})", kDefault)),
                       {"p.json", "duplicate device name 'A'", "devices[0]", "(devices[1].name)"}));
  EXPECT_TRUE(Mentions(PlatformError(PlatformText(R"({"name": "g1"}, {"name": "g", "count": 2})", kDefault)),
                       {"duplicate device name 'g1'", "(devices[1].name)"}));
  for (const char* bad : {"0", "-1", "1.5", "\"2\"", "true"})
    EXPECT_TRUE(Mentions(PlatformError(PlatformText(std::string(R"({"name": "A", "count": )") + bad + "}", kDefault)),
                         {"count must be a positive integer", "(devices[0].count)"}));
  EXPECT_TRUE(Mentions(PlatformError(PlatformText(R"({"name": "A", "count": 100000})", kDefault)),
                       {"exceeds the limit", "(devices[0].count)"}));
  EXPECT_TRUE(Mentions(PlatformError(PlatformText(R"({"name": "A", "memory_bytes": -1})", kDefault)),
                       {"negative", "(devices[0].memory_bytes)"}));
  EXPECT_TRUE(Mentions(PlatformError(PlatformText(R"({"name": "A", "peak_flops": "1T"})", kDefault)),
                       {"expected a number", "(devices[0].peak_flops)"}));
  EXPECT_TRUE(Mentions(PlatformError(PlatformText(R"({"name": "A", "type": ""})", kDefault)),
                       {"empty", "(devices[0].type)"}));
  EXPECT_TRUE(Mentions(PlatformError(PlatformText(R"({"name": "A", "memory": 5})", kDefault)),
                       {"unknown field 'memory'", "(devices[0].memory)"}));
  EXPECT_TRUE(Mentions(PlatformError(PlatformText(R"({"name": "A", "name": "B"})", kDefault)),
                       {"duplicate key 'name'", "(devices[0].name)"}));
  EXPECT_TRUE(Mentions(PlatformError(PlatformText(R"("A")", kDefault)),
                       {"device must be a JSON object", "(devices[0])"}));
}

}  // namespace
}  // namespace diviml
