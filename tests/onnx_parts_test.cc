// `diviml export --format onnx-parts`: every operator in exactly one part on
// its planned device, parts in an order the tensors allow, the cut rule,
// valid ONNX (checker + strict shape inference), coarsened plans, seeded
// weights, and one-line errors for plans of another model, stripped weights
// without --fill-weights and foreign output directories.
#include <gtest/gtest.h>

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "diviml/cli/cli.h"
#include "diviml/export/export.h"
#include "diviml/export/onnx_parts.h"
#include "diviml/io/io.h"
#include "diviml/io/onnx_import.h"
#include "diviml/io/zoo.h"
#include "diviml/util/file.h"

namespace diviml {
namespace {
namespace fs = std::filesystem;

std::string Temp(const std::string& name) {
  return (fs::temp_directory_path() / ("diviml_parts_" + std::to_string(::getpid()) + "_" + name)).string();
}

// The zoo's CPU profile of `model` as times of host:NxC's device type.
std::string HostProfile(const std::string& model) {
  std::ifstream in(ZooDir() + "/profiles/" + model + ".cpu.csv");
  std::stringstream out;
  std::string line;
  while (std::getline(in, line)) {
    const size_t k = line.find(",cpu,");
    if (k != std::string::npos) line.replace(k, 5, ",host-1c,");
    out << line << "\n";
  }
  const std::string path = Temp(model + ".csv");
  WriteFileAtomic(path, out.str());
  return path;
}

// A plan of `model` on host:2x1 written to a file; returns its path.
std::string PlanFile(const std::string& model, const std::string& solver, bool coarsen = false) {
  Inputs in;
  in.graph = "zoo:" + model;
  in.platform = "host:2x1";
  in.profile = HostProfile(model);
  in.coarsen = coarsen;
  const Problem pr = LoadProblem(in);
  Request rq;
  rq.solver = solver;
  const Result r = Solve(pr, rq);
  EXPECT_TRUE(r.has_plan());
  const std::string path = Temp(model + "_" + solver + (coarsen ? "_c" : "") + ".plan.json");
  WriteFileAtomic(path, ResultToJson(pr, r).dump());
  return path;
}

nlohmann::json ReadJson(const std::string& path) { return nlohmann::json::parse(ReadFile(path)); }

void CheckExport(const std::string& model, const std::string& plan_path) {
  const std::string dir = Temp(model + "_parts");
  const nlohmann::json m = ExportOnnxParts("zoo:" + model, plan_path, dir);
  const nlohmann::json plan = ReadJson(plan_path);
  EXPECT_EQ(m["format"], "diviml-onnx-parts-v1");
  EXPECT_EQ(m, ReadJson(dir + "/manifest.json"));
  EXPECT_GT(m["initializers_filled"].get<int>(), 0);
  ASSERT_TRUE(fs::exists(dir + "/model.onnx"));

  // Every operator in exactly one part, on its planned device (plans of the
  // coarsened graph: fused nodes on their survivor's device).
  const Graph g = ImportOnnx(ZooModelPath(model));
  std::map<std::string, std::string> placed;
  std::map<std::string, int> part_of_tensor;
  for (const auto& p : m["parts"]) {
    for (const auto& n : p["nodes"]) {
      EXPECT_TRUE(placed.emplace(n.get<std::string>(), p["device"].get<std::string>()).second) << n;
      if (plan["assignment"].contains(n.get<std::string>())) EXPECT_EQ(plan["assignment"][n.get<std::string>()], p["device"]) << n;
    }
    for (const auto& t : p["outputs"]) part_of_tensor[t.get<std::string>()] = p["index"].get<int>();
  }
  int ops = 0;
  for (const Node& n : g.nodes)
    if (n.op != "input" && n.op != "output") {
      ++ops;
      EXPECT_TRUE(placed.count(n.id)) << n.id;
    }
  EXPECT_EQ(static_cast<int>(placed.size()), ops);
  EXPECT_EQ(m["operators"].get<int>(), ops);

  // Inputs come from earlier parts or the graph; charged transfers only
  // across devices.
  std::set<std::string> graph_inputs;
  for (const auto& t : m["inputs"]) graph_inputs.insert(t["name"].get<std::string>());
  for (const auto& p : m["parts"])
    for (const auto& t : p["inputs"]) {
      const std::string name = t.get<std::string>();
      if (graph_inputs.count(name)) continue;
      ASSERT_TRUE(part_of_tensor.count(name)) << name;
      EXPECT_LT(part_of_tensor[name], p["index"].get<int>()) << name;
    }
  for (const auto& t : m["tensors"]) {
    EXPECT_GE(t["bytes"].get<double>(), 0);
    if (t["producer"].is_number()) {
      const auto& from = m["parts"][t["producer"].get<int>()]["device"];
      bool remote = false;
      for (const auto& c : t["consumers"])
        remote = remote || !c.is_number() || m["parts"][c.get<int>()]["device"] != from;  // "output": to the host
      if (!remote) EXPECT_EQ(t["charged_transfer_s"].get<double>(), 0) << t["name"];
    }
  }

  // Valid ONNX: checker and strict shape inference on every part.
  for (const auto& p : m["parts"]) {
    onnx::ModelProto proto;
    const std::string bytes = ReadFile(dir + "/" + p["file"].get<std::string>());
    ASSERT_TRUE(proto.ParseFromString(bytes));
    EXPECT_EQ(proto.graph().input_size(), static_cast<int>(p["inputs"].size()));
    EXPECT_EQ(proto.graph().output_size(), static_cast<int>(p["outputs"].size()));
    EXPECT_NO_THROW(onnx::checker::check_model(proto)) << p["file"];
    onnx::ShapeInferenceOptions strict(true, 1, false);
    EXPECT_NO_THROW(onnx::shape_inference::InferShapes(proto, onnx::OpSchemaRegistry::Instance(), strict))
        << p["file"];
  }
  fs::remove_all(dir);
}

TEST(OnnxParts, Resnet18SplitPlan) { CheckExport("resnet18", PlanFile("resnet18", "split")); }
TEST(OnnxParts, GooglenetHeftPlan) { CheckExport("googlenet", PlanFile("googlenet", "heft")); }
TEST(OnnxParts, BertBaseHeftPlan) { CheckExport("bert_base", PlanFile("bert_base", "heft")); }
TEST(OnnxParts, CoarsenedPlanPlacesFusedNodes) {
  CheckExport("mobilenet_v2", PlanFile("mobilenet_v2", "heft", /*coarsen=*/true));
}

TEST(OnnxParts, CutRuleStartsAndEndsAtCrossingTensors) {
  const std::string plan = PlanFile("googlenet", "heft");
  const std::string dir = Temp("cut");
  const nlohmann::json m = ExportOnnxParts("zoo:googlenet", plan, dir);
  // A part's inputs from other devices feed its first operators only: the
  // part may start when they are there. Checked through the manifest:
  // every crossing tensor from another device is an input of its consumer
  // part, and parts on one device do not overlap in predicted time.
  std::map<std::string, double> last_end;
  for (const auto& p : m["parts"]) {
    const std::string dev = p["device"];
    if (last_end.count(dev)) EXPECT_GE(p["predicted_start_s"].get<double>() + 1e-12, last_end[dev]);
    last_end[dev] = p["predicted_end_s"].get<double>();
  }
  EXPECT_GE(m["parts"].size(), 2u);
  fs::remove_all(dir);
}

TEST(OnnxParts, WeightsAreSeeded) {
  const std::string plan = PlanFile("resnet18", "heft");
  const std::string a = Temp("seed_a"), b = Temp("seed_b"), c = Temp("seed_c");
  ExportOnnxParts("zoo:resnet18", plan, a);
  ExportOnnxParts("zoo:resnet18", plan, b);
  OnnxPartsOptions o;
  o.seed = 7;
  ExportOnnxParts("zoo:resnet18", plan, c, o);
  EXPECT_EQ(ReadFile(a + "/part000_cpu0.onnx"), ReadFile(b + "/part000_cpu0.onnx"));
  EXPECT_NE(ReadFile(a + "/part000_cpu0.onnx"), ReadFile(c + "/part000_cpu0.onnx"));
  for (const auto& d : {a, b, c}) fs::remove_all(d);
}

int Export(const ExportArgs& a, std::string* err) {
  std::ostringstream out, e;
  const int code = RunExport(a, out, e);
  *err = e.str();
  return code;
}

TEST(OnnxParts, BadInputIsOneLineExit1) {
  const std::string plan = PlanFile("resnet18", "heft");
  std::string err;
  ExportArgs a;
  a.graph = "zoo:googlenet";  // a plan of another model
  a.plan = plan;
  a.out = Temp("bad");
  EXPECT_EQ(Export(a, &err), 1);
  EXPECT_NE(err.find("is for graph 'resnet18', not 'googlenet'"), std::string::npos) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1);
  EXPECT_FALSE(fs::exists(a.out));

  a.graph = "zoo:resnet18";  // stripped weights, no filling
  a.fill_weights = "none";
  EXPECT_EQ(Export(a, &err), 1);
  EXPECT_NE(err.find("has no data"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(a.out));

  a.fill_weights = "auto";  // a plan without one of the model's nodes
  nlohmann::json j = ReadJson(plan);
  const std::string victim = "/layer1/layer1.0/conv1/Conv";
  ASSERT_TRUE(j["assignment"].contains(victim));
  for (auto& [dev, list] : j["order"].items()) {
    nlohmann::json kept = nlohmann::json::array();
    for (const auto& n : list)
      if (n != victim) kept.push_back(n);
    list = kept;
  }
  const std::string cut = Temp("cut.plan.json");
  WriteFileAtomic(cut, j.dump());
  a.plan = cut;
  EXPECT_EQ(Export(a, &err), 1);
  EXPECT_NE(err.find("'" + victim + "'"), std::string::npos) << err;
  EXPECT_NE(err.find("not in the plan"), std::string::npos) << err;

  a.plan = plan;  // an output directory that is not an earlier export
  fs::create_directories(a.out);
  WriteFileAtomic(a.out + "/precious.txt", "x");
  EXPECT_EQ(Export(a, &err), 1);
  EXPECT_NE(err.find("not an earlier export"), std::string::npos) << err;
  EXPECT_TRUE(fs::exists(a.out + "/precious.txt"));
  fs::remove_all(a.out);

  a.format = "tar";
  EXPECT_EQ(Export(a, &err), 1);
  EXPECT_NE(err.find("--format"), std::string::npos) << err;
}

TEST(HostPlatform, DevicesOfCoresLinkedByTheHandoff) {
  const Platform p = LoadPlatform("host:3x2");
  ASSERT_EQ(p.num_devices(), 3);
  EXPECT_EQ(p.devices[2].name, "cpu2");
  EXPECT_EQ(p.devices[0].type, "host-2c");
  EXPECT_DOUBLE_EQ(p.TransferTime(0, 1, 1e9), kHostHandoffLatencyS);
  EXPECT_DOUBLE_EQ(p.TransferTime(1, 1, 1e9), 0);
  for (const std::string bad : {"host:2", "host:0x1", "host:2x", "host:ax1", "host:2x1x1"})
    EXPECT_THROW(LoadPlatform(bad), InputError) << bad;
}

}  // namespace
}  // namespace diviml
