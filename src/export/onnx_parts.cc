// ExportOnnxParts (include/diviml/export/onnx_parts.h): cut an ONNX model
// along a latency plan. O(model size + V log V).
#include "util/splitmix64.h"
#include "diviml/export/onnx_parts.h"

#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "diviml/io/onnx_import.h"
#include "diviml/io/zoo.h"
#include "diviml/util/error.h"
#include "diviml/util/file.h"

namespace diviml {
namespace fs = std::filesystem;

std::string Fnv1aHex(const std::string& bytes) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

namespace {

uint64_t Fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}


bool HasData(const onnx::TensorProto& t) {
  return !t.raw_data().empty() || t.float_data_size() || t.int32_data_size() || t.int64_data_size() ||
         t.double_data_size() || t.uint64_data_size() || t.string_data_size() ||
         t.data_location() == onnx::TensorProto::EXTERNAL;
}

int64_t Elements(const onnx::TensorProto& t) {
  int64_t n = 1;
  for (int64_t d : t.dims()) n *= d;
  return n;
}

int ElemSize(int32_t type) {
  switch (type) {
    case onnx::TensorProto::FLOAT: case onnx::TensorProto::INT32: case onnx::TensorProto::UINT32: return 4;
    case onnx::TensorProto::DOUBLE: case onnx::TensorProto::INT64: case onnx::TensorProto::UINT64: return 8;
    case onnx::TensorProto::FLOAT16: case onnx::TensorProto::BFLOAT16: case onnx::TensorProto::INT16:
    case onnx::TensorProto::UINT16: return 2;
    case onnx::TensorProto::INT8: case onnx::TensorProto::UINT8: case onnx::TensorProto::BOOL: return 1;
    default: return 0;
  }
}

// Fills a stripped initializer (rules in the header); false for a type it
// cannot fill.
bool FillRandom(onnx::TensorProto* t, uint64_t seed) {
  const int64_t n = Elements(*t);
  const int type = t->data_type();
  SplitMix64 rng{seed ^ Fnv1a(t->name())};
  std::string raw;
  if (type == onnx::TensorProto::FLOAT || type == onnx::TensorProto::DOUBLE) {
    const bool wide = t->dims_size() >= 2;
    const double fan_in = wide && t->dims(0) > 0 ? static_cast<double>(n) / t->dims(0) : 1;
    const double a = std::sqrt(3.0 / std::max(1.0, fan_in));
    raw.resize(n * (type == onnx::TensorProto::FLOAT ? 4 : 8));
    for (int64_t i = 0; i < n; ++i) {
      const double u = rng.Uniform();
      const double x = wide ? (2 * u - 1) * a : 0.5 + u;
      if (type == onnx::TensorProto::FLOAT) {
        const float f = static_cast<float>(x);
        std::memcpy(&raw[i * 4], &f, 4);
      } else {
        std::memcpy(&raw[i * 8], &x, 8);
      }
    }
  } else if (int size = ElemSize(type); size > 0 && type != onnx::TensorProto::FLOAT16 &&
                                        type != onnx::TensorProto::BFLOAT16) {
    raw.assign(n * size, '\0');
  } else {
    return false;
  }
  t->set_raw_data(raw);
  return true;
}

struct Tensor {
  int32_t elem_type = 0;
  std::vector<int64_t> dims;
  bool shape_known = false;
  double bytes() const {
    if (!shape_known) return 0;
    double b = ElemSize(elem_type);
    for (int64_t d : dims) b *= d;
    return b;
  }
};

nlohmann::json TensorJson(const std::string& name, const Tensor& t) {
  nlohmann::json j = {{"name", name}, {"elem_type", t.elem_type}};
  j["shape"] = t.shape_known ? nlohmann::json(t.dims) : nlohmann::json();
  return j;
}

onnx::ValueInfoProto ValueInfo(const std::string& name, const Tensor& t) {
  onnx::ValueInfoProto vi;
  vi.set_name(name);
  auto* tt = vi.mutable_type()->mutable_tensor_type();
  tt->set_elem_type(t.elem_type);
  if (t.shape_known) {
    auto* shape = tt->mutable_shape();
    for (int64_t d : t.dims) shape->add_dim()->set_dim_value(d);
  }
  return vi;
}

class PartsWriter {
 public:
  PartsWriter(std::string model, std::string plan_path, std::string out_dir, const OnnxPartsOptions& o)
      : model_(std::move(model)), plan_path_(std::move(plan_path)), out_(std::move(out_dir)), options_(o) {}
  nlohmann::json Run();

 private:
  [[noreturn]] void FailPlan(const std::string& what) const { throw InputError(plan_path_ + ": " + what); }
  [[noreturn]] void FailModel(const std::string& what) const { throw InputError(path_ + ": " + what); }
  void LoadModel();
  void ReadPlan();
  void PlaceFusedNodes();
  void CutParts();
  nlohmann::json WriteAll();

  std::string model_, plan_path_, out_, path_;
  OnnxPartsOptions options_;
  bool zoo_ = false;
  onnx::ModelProto proto_;
  Graph graph_;
  std::vector<int> op_node_;                        // graph operator node -> NodeProto index
  std::unordered_map<std::string, int> id_to_op_;   // node id -> operator index (into op_node_)
  std::vector<std::string> op_id_;                  // operator index -> node id
  std::unordered_map<std::string, Tensor> tensors_;
  std::unordered_map<std::string, int> producer_;   // tensor -> operator index
  std::unordered_map<std::string, std::vector<int>> consumers_;  // tensor -> operator indices
  std::set<std::string> graph_inputs_, graph_outputs_;
  std::unordered_map<std::string, int> constant_of_;  // tensor -> Constant NodeProto index
  std::set<std::string> initializers_;
  nlohmann::json plan_;
  std::string plan_hash_;  // FNV-1a of the plan file: stamped into every part
  std::vector<std::string> devices_;                 // plan devices, in the order given
  std::vector<int> device_of_;                       // operator index -> device (-1 unknown)
  std::vector<std::vector<int>> order_;              // device -> operator indices
  std::vector<double> start_, end_;                  // operator index -> predicted times
  int filled_ = 0;
  struct Part {
    int device = 0;
    std::vector<int> ops;
    double start_s = 0, end_s = 0, busy_s = 0;
    std::vector<std::string> inputs, outputs;
  };
  std::vector<Part> parts_;
  std::vector<int> part_of_;  // operator index -> part
};

void PartsWriter::LoadModel() {
  path_ = model_;
  if (model_.rfind("zoo:", 0) == 0) {
    path_ = ZooModelPath(model_.substr(4));
    zoo_ = true;
  } else {
    if (LowerExtension(model_) != ".onnx") throw InputError(model_ + ": onnx-parts needs an .onnx model or zoo:NAME");
    std::error_code ec;
    const fs::path zoo_models = fs::weakly_canonical(fs::path(ZooDir()) / "models", ec);
    const fs::path here = fs::weakly_canonical(fs::path(model_), ec);
    zoo_ = here.parent_path() == zoo_models;
  }
  graph_ = ImportOnnx(path_);  // the node ids plans use; validates the model
  const std::string bytes = ReadFile(path_);
  if (!proto_.ParseFromString(bytes)) FailModel("not an ONNX model (protobuf parse failed)");
  const onnx::GraphProto& g = proto_.graph();

  // Operator nodes of the graph pair with the non-Constant NodeProtos in order.
  std::vector<int> protos;
  for (int k = 0; k < g.node_size(); ++k) {
    const auto& n = g.node(k);
    const bool constant = n.op_type() == "Constant" && (n.domain().empty() || n.domain() == "ai.onnx");
    if (constant) {
      for (const auto& out : n.output()) constant_of_[out] = k;
    } else {
      protos.push_back(k);
    }
  }
  for (const Node& node : graph_.nodes) {
    if (node.op == "input" || node.op == "output") continue;
    const int i = static_cast<int>(op_node_.size());
    if (i >= static_cast<int>(protos.size())) FailModel("internal: more graph nodes than ONNX nodes");
    op_node_.push_back(protos[i]);
    id_to_op_[node.id] = i;
    op_id_.push_back(node.id);
  }
  if (op_node_.size() != protos.size()) FailModel("internal: graph nodes do not match the ONNX nodes");

  for (const auto& init : g.initializer()) initializers_.insert(init.name());
  for (const auto& vi : g.input())
    if (!initializers_.count(vi.name())) graph_inputs_.insert(vi.name());
  for (const auto& vi : g.output()) graph_outputs_.insert(vi.name());
  for (int i = 0; i < static_cast<int>(op_node_.size()); ++i) {
    const auto& n = g.node(op_node_[i]);
    for (const auto& out : n.output())
      if (!out.empty()) producer_[out] = i;
    std::set<std::string> seen;
    for (const auto& in : n.input())
      if (!in.empty() && seen.insert(in).second) consumers_[in].push_back(i);
  }

  // Types and shapes: the model's own value_info, completed by inference.
  onnx::ModelProto infer = proto_;
  try {
    onnx::ShapeInferenceOptions opts(false, 0, true);
    onnx::shape_inference::InferShapes(infer, onnx::OpSchemaRegistry::Instance(), opts);
  } catch (const std::exception&) {
    // The importer already proved the shapes; keep what the file says.
    infer = proto_;
  }
  auto record = [&](const onnx::ValueInfoProto& vi) {
    if (!vi.type().has_tensor_type()) return;
    const auto& tt = vi.type().tensor_type();
    Tensor t;
    t.elem_type = tt.elem_type();
    if (tt.has_shape()) {
      t.shape_known = true;
      for (const auto& d : tt.shape().dim()) {
        if (!d.has_dim_value()) {
          t.shape_known = false;
          break;
        }
        t.dims.push_back(d.dim_value());
      }
      if (!t.shape_known) t.dims.clear();
    }
    auto [it, fresh] = tensors_.emplace(vi.name(), t);
    if (!fresh && !it->second.shape_known && t.shape_known) it->second = t;
  };
  for (const auto& vi : infer.graph().input()) record(vi);
  for (const auto& vi : infer.graph().output()) record(vi);
  for (const auto& vi : infer.graph().value_info()) record(vi);
}

void PartsWriter::ReadPlan() {
  try {
    const std::string text = ReadFile(plan_path_);
    plan_hash_ = Fnv1aHex(text);
    plan_ = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    FailPlan(std::string("not JSON: ") + e.what());
  }
  if (!plan_.is_object() || plan_.value("format", "") != "diviml-plan-v1")
    FailPlan("not a plan file (format diviml-plan-v1, as `diviml solve --out` writes)");
  if (plan_.value("objective", "latency") != "latency") FailPlan("onnx-parts needs a latency plan");
  if (plan_.contains("graph") && plan_["graph"].is_string() && plan_["graph"] != graph_.name)
    FailPlan("plan is for graph '" + plan_["graph"].get<std::string>() + "', not '" + graph_.name + "'");
  if (!plan_.contains("order") || !plan_["order"].is_object())
    FailPlan("no \"order\" {device: [nodes]} (a latency plan with a valid schedule is needed)");
  const size_t n = op_node_.size();
  device_of_.assign(n, -1);
  start_.assign(n, std::numeric_limits<double>::quiet_NaN());
  end_.assign(n, std::numeric_limits<double>::quiet_NaN());
  std::set<std::string> graph_ids;
  for (const Node& node : graph_.nodes) graph_ids.insert(node.id);
  for (const auto& [dev, list] : plan_["order"].items()) {
    const int d = static_cast<int>(devices_.size());
    devices_.push_back(dev);
    order_.emplace_back();
    if (!list.is_array()) FailPlan("order of device '" + dev + "' is not a list");
    for (const auto& id : list) {
      if (!id.is_string()) FailPlan("order of device '" + dev + "' holds a non-string");
      const std::string s = id.get<std::string>();
      if (!graph_ids.count(s)) FailPlan("node '" + s + "' is not in " + path_ + " (a plan for another model?)");
      auto it = id_to_op_.find(s);
      if (it == id_to_op_.end()) continue;  // input:/output: host nodes
      if (device_of_[it->second] >= 0) FailPlan("node '" + s + "' is placed twice");
      device_of_[it->second] = d;
      order_[d].push_back(it->second);
    }
  }
  if (plan_.contains("schedule") && plan_["schedule"].is_array())
    for (const auto& row : plan_["schedule"]) {
      auto it = id_to_op_.find(row.value("node", ""));
      if (it == id_to_op_.end()) continue;
      start_[it->second] = row.value("start_s", 0.0);
      end_[it->second] = row.value("end_s", 0.0);
    }
}

void PartsWriter::PlaceFusedNodes() {
  const onnx::GraphProto& g = proto_.graph();
  // Operator-level neighbours (graph edges between operators).
  const int n = static_cast<int>(op_node_.size());
  std::vector<std::set<int>> pred(n), succ(n);
  for (int i = 0; i < n; ++i)
    for (const auto& in : g.node(op_node_[i]).input()) {
      auto it = producer_.find(in);
      if (it != producer_.end() && it->second != i) {
        pred[i].insert(it->second);
        succ[it->second].insert(i);
      }
    }
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = 0; i < n; ++i) {
      if (device_of_[i] >= 0) continue;
      const std::string& op = g.node(op_node_[i]).op_type();
      if (!IsTrivialOp(op)) continue;
      int anchor = -1;
      bool after = true;
      if (pred[i].size() == 1 && device_of_[*pred[i].begin()] >= 0) {
        anchor = *pred[i].begin();
      } else if (succ[i].size() == 1 && device_of_[*succ[i].begin()] >= 0) {
        anchor = *succ[i].begin();
        after = false;
      }
      if (anchor < 0) continue;
      const int d = device_of_[anchor];
      auto& list = order_[d];
      auto pos = std::find(list.begin(), list.end(), anchor);
      list.insert(after ? pos + 1 : pos, i);
      device_of_[i] = d;
      start_[i] = after ? end_[anchor] : start_[anchor];
      end_[i] = start_[i];
      changed = true;
    }
  }
  for (int i = 0; i < n; ++i)
    if (device_of_[i] < 0) {
      FailPlan("node '" + op_id_[i] + "' of " + path_ + " is not in the plan (a plan for another model?)");
    }
}

void PartsWriter::CutParts() {
  const onnx::GraphProto& g = proto_.graph();
  const int n = static_cast<int>(op_node_.size());
  auto cross_in = [&](int i) {
    for (const auto& in : g.node(op_node_[i]).input()) {
      auto it = producer_.find(in);
      if (it != producer_.end() && device_of_[it->second] != device_of_[i]) return true;
    }
    return false;
  };
  auto cross_out = [&](int i) {
    for (const auto& out : g.node(op_node_[i]).output()) {
      auto it = consumers_.find(out);
      if (it == consumers_.end()) continue;
      for (int c : it->second)
        if (device_of_[c] != device_of_[i]) return true;
    }
    return false;
  };
  for (int d = 0; d < static_cast<int>(order_.size()); ++d) {
    const auto& list = order_[d];
    for (size_t k = 0; k < list.size(); ++k) {
      if (k == 0 || cross_in(list[k]) || cross_out(list[k - 1])) parts_.push_back(Part{d, {}, 0, 0, 0, {}, {}});
      parts_.back().ops.push_back(list[k]);
    }
  }
  for (Part& p : parts_) {
    p.start_s = start_[p.ops.front()];
    p.end_s = end_[p.ops.back()];
    for (int i : p.ops)
      if (std::isfinite(start_[i]) && std::isfinite(end_[i])) p.busy_s += end_[i] - start_[i];
  }
  std::stable_sort(parts_.begin(), parts_.end(), [](const Part& a, const Part& b) {
    const double sa = std::isfinite(a.start_s) ? a.start_s : 0, sb = std::isfinite(b.start_s) ? b.start_s : 0;
    return sa < sb;
  });
  part_of_.assign(n, -1);
  for (int p = 0; p < static_cast<int>(parts_.size()); ++p)
    for (int i : parts_[p].ops) part_of_[i] = p;
  // Inputs: tensors read from other parts or graph inputs; outputs: tensors
  // read by other parts or graph outputs. Model order within a part.
  for (int p = 0; p < static_cast<int>(parts_.size()); ++p) {
    Part& part = parts_[p];
    std::sort(part.ops.begin(), part.ops.end(), [&](int a, int b) { return op_node_[a] < op_node_[b]; });
    std::set<std::string> in_seen, out_seen;
    for (int i : part.ops) {
      for (const auto& in : g.node(op_node_[i]).input()) {
        if (in.empty() || in_seen.count(in)) continue;
        auto it = producer_.find(in);
        if ((it != producer_.end() && part_of_[it->second] != p) || graph_inputs_.count(in)) {
          in_seen.insert(in);
          part.inputs.push_back(in);
        }
      }
      for (const auto& out : g.node(op_node_[i]).output()) {
        if (out.empty() || out_seen.count(out)) continue;
        bool crosses = graph_outputs_.count(out) > 0;
        auto it = consumers_.find(out);
        if (it != consumers_.end())
          for (int c : it->second) crosses = crosses || part_of_[c] != p;
        if (crosses) {
          out_seen.insert(out);
          part.outputs.push_back(out);
        }
      }
    }
  }
}

nlohmann::json PartsWriter::WriteAll() {
  const onnx::GraphProto& g = proto_.graph();
  // Weights.
  const bool fill = options_.fill == WeightFill::kRandom || (options_.fill == WeightFill::kAuto && zoo_);
  std::unordered_map<std::string, const onnx::TensorProto*> init_of;
  onnx::GraphProto* mg = proto_.mutable_graph();
  for (auto& init : *mg->mutable_initializer()) {
    if (!HasData(init) && Elements(init) > 0) {
      if (!fill)
        FailModel("initializer '" + init.name() +
                  "' has no data (stripped weights); export with --fill-weights random");
      if (!FillRandom(&init, options_.seed))
        FailModel("cannot fill initializer '" + init.name() + "' of ONNX type " +
                  std::to_string(init.data_type()));
      ++filled_;
    }
  }
  for (const auto& init : g.initializer()) init_of[init.name()] = &init;

  auto tensor = [&](const std::string& name) -> const Tensor& {
    auto it = tensors_.find(name);
    if (it == tensors_.end() || it->second.elem_type == 0) FailModel("no type known for tensor '" + name + "'");
    return it->second;
  };

  // Staging directory, renamed onto out_ at the end (nothing half-written).
  const fs::path out(out_);
  std::error_code ec;
  if (fs::exists(out, ec)) {
    if (!fs::is_directory(out, ec)) throw InputError(out_ + ": exists and is not a directory");
    if (!fs::is_empty(out, ec) && !fs::exists(out / "manifest.json", ec))
      throw InputError(out_ + ": exists, is not empty and holds no manifest.json (not an earlier export)");
  }
  const fs::path stage = out.string() + ".tmp-" + std::to_string(::getpid());
  fs::remove_all(stage, ec);
  if (!fs::create_directories(stage, ec) || ec) throw InputError(out_ + ": cannot create directory (" + ec.message() + ")");

  try {
    nlohmann::json manifest;
    manifest["format"] = "diviml-onnx-parts-v1";
    manifest["graph"] = graph_.name;
    manifest["source_model"] = fs::absolute(path_).string();
    manifest["operators"] = static_cast<int>(op_node_.size());
    manifest["weights"] = filled_ > 0 ? "random" : "model";
    manifest["seed"] = options_.seed;
    manifest["initializers_filled"] = filled_;
    nlohmann::json plan = {{"file", fs::absolute(plan_path_).string()},
                           {"platform", plan_.value("platform", "")},
                           {"solver", plan_.value("solver", "")},
                           {"fnv1a64", plan_hash_},
                           {"makespan_s", plan_.contains("makespan_s") ? plan_["makespan_s"] : nlohmann::json()}};
    manifest["plan"] = plan;
    manifest["devices"] = devices_;
    nlohmann::json busy = nlohmann::json::object();
    for (const std::string& d : devices_) busy[d] = 0.0;
    for (const Part& p : parts_) busy[devices_[p.device]] = busy[devices_[p.device]].get<double>() + p.busy_s;
    manifest["predicted_busy_s"] = busy;
    nlohmann::json ins = nlohmann::json::array(), outs = nlohmann::json::array();
    for (const auto& vi : g.input())
      if (graph_inputs_.count(vi.name())) ins.push_back(TensorJson(vi.name(), tensor(vi.name())));
    for (const auto& vi : g.output()) outs.push_back(TensorJson(vi.name(), tensor(vi.name())));
    manifest["inputs"] = ins;
    manifest["outputs"] = outs;

    if (filled_ > 0) {
      std::string bytes;
      if (!proto_.SerializeToString(&bytes)) FailModel("cannot serialise the filled model (over 2 GiB?)");
      WriteFileAtomic((stage / "model.onnx").string(), bytes);
      manifest["model"] = "model.onnx";
    } else {
      manifest["model"] = fs::absolute(path_).string();
    }

    nlohmann::json parts = nlohmann::json::array();
    for (int p = 0; p < static_cast<int>(parts_.size()); ++p) {
      const Part& part = parts_[p];
      onnx::ModelProto m;
      m.set_ir_version(proto_.ir_version());
      *m.mutable_opset_import() = proto_.opset_import();
      m.set_producer_name("diviml");
      m.set_producer_version("0.1.0");
      for (const auto& [k, v] : std::map<std::string, std::string>{{"diviml_graph", graph_.name},
                                                                   {"diviml_plan", plan_hash_},
                                                                   {"diviml_part", std::to_string(p)},
                                                                   {"diviml_device", devices_[part.device]}}) {
        auto* meta = m.add_metadata_props();
        meta->set_key(k);
        meta->set_value(v);
      }
      onnx::GraphProto* pg = m.mutable_graph();
      pg->set_name(fmt::format("{}_part{}_{}", graph_.name, p, devices_[part.device]));
      std::set<std::string> produced, inits, consts, names;
      std::vector<int> protos;
      for (int i : part.ops) {
        const auto& node = g.node(op_node_[i]);
        for (const auto& in : node.input()) {
          if (in.empty()) continue;
          if (init_of.count(in) && !producer_.count(in) && inits.insert(in).second) *pg->add_initializer() = *init_of[in];
          if (constant_of_.count(in) && consts.insert(in).second) protos.push_back(constant_of_[in]);
        }
      }
      std::sort(protos.begin(), protos.end());
      protos.erase(std::unique(protos.begin(), protos.end()), protos.end());
      for (int k : protos) *pg->add_node() = g.node(k);
      for (int i : part.ops) {
        *pg->add_node() = g.node(op_node_[i]);
        for (const auto& out : g.node(op_node_[i]).output())
          if (!out.empty()) produced.insert(out);
      }
      for (const auto& in : part.inputs) *pg->add_input() = ValueInfo(in, tensor(in));
      for (const auto& out : part.outputs) *pg->add_output() = ValueInfo(out, tensor(out));
      std::set<std::string> io(part.inputs.begin(), part.inputs.end());
      io.insert(part.outputs.begin(), part.outputs.end());
      for (const auto& t : produced)
        if (!io.count(t) && tensors_.count(t) && tensors_[t].elem_type != 0) *pg->add_value_info() = ValueInfo(t, tensors_[t]);
      std::string bytes;
      if (!m.SerializeToString(&bytes)) FailModel(fmt::format("cannot serialise part {} (over 2 GiB?)", p));
      const std::string file = fmt::format("part{:03d}_{}.onnx", p, devices_[part.device]);
      WriteFileAtomic((stage / file).string(), bytes);
      nlohmann::json nodes = nlohmann::json::array();
      for (int i : part.ops) nodes.push_back(op_id_[i]);
      nlohmann::json pj = {{"index", p},
                           {"file", file},
                           {"device", devices_[part.device]},
                           {"inputs", part.inputs},
                           {"outputs", part.outputs},
                           {"operators", static_cast<int>(part.ops.size())},
                           {"nodes", nodes},
                           {"predicted_start_s", std::isfinite(part.start_s) ? nlohmann::json(part.start_s) : nlohmann::json()},
                           {"predicted_end_s", std::isfinite(part.end_s) ? nlohmann::json(part.end_s) : nlohmann::json()},
                           {"predicted_busy_s", part.busy_s},
                           {"bytes", bytes.size()}};
      parts.push_back(pj);
    }
    manifest["parts"] = parts;

    // Crossing tensors: producer part (or "input"), consumer parts (and
    // "output"), bytes, and the transfers the plan charged on their edges.
    std::map<std::pair<std::string, std::string>, std::vector<nlohmann::json>> transfers;
    if (plan_.contains("transfers") && plan_["transfers"].is_array())
      for (const auto& t : plan_["transfers"])
        transfers[{t.value("from", ""), t.value("to", "")}].push_back(t);
    std::set<std::string> crossing;
    std::vector<std::string> crossing_order;
    for (const Part& part : parts_)
      for (const auto& t : part.inputs)
        if (crossing.insert(t).second) crossing_order.push_back(t);
    for (const auto& vi : g.output())
      if (crossing.insert(vi.name()).second) crossing_order.push_back(vi.name());
    nlohmann::json tj = nlohmann::json::array();
    for (const auto& name : crossing_order) {
      const Tensor& t = tensor(name);
      nlohmann::json row = TensorJson(name, t);
      row["bytes"] = t.bytes();
      auto pit = producer_.find(name);
      const std::string from_id = pit != producer_.end() ? op_id_[pit->second] : "input:" + name;
      row["producer"] = pit != producer_.end() ? nlohmann::json(part_of_[pit->second]) : nlohmann::json("input");
      nlohmann::json cons = nlohmann::json::array();
      std::set<int> seen;
      double charged = 0;
      nlohmann::json charged_list = nlohmann::json::array();
      auto add_transfers = [&](const std::string& to_id) {
        auto it = transfers.find({from_id, to_id});
        if (it == transfers.end()) return;
        for (const auto& tr : it->second) {
          charged += tr.value("end_s", 0.0) - tr.value("start_s", 0.0);
          charged_list.push_back(tr);
        }
      };
      if (auto cit = consumers_.find(name); cit != consumers_.end())
        for (int c : cit->second) {
          if (pit != producer_.end() && part_of_[c] == part_of_[pit->second]) continue;
          if (seen.insert(part_of_[c]).second) cons.push_back(part_of_[c]);
          add_transfers(op_id_[c]);
        }
      if (graph_outputs_.count(name)) {
        cons.push_back("output");
        add_transfers("output:" + name);
      }
      row["consumers"] = cons;
      row["charged_transfer_s"] = charged;
      row["plan_transfers"] = charged_list;
      tj.push_back(row);
    }
    manifest["tensors"] = tj;
    WriteFileAtomic((stage / "manifest.json").string(), manifest.dump(1) + "\n");

    fs::remove_all(out, ec);
    fs::rename(stage, out, ec);
    if (ec) throw InputError(out_ + ": cannot move the parts into place (" + ec.message() + ")");
    return manifest;
  } catch (...) {
    fs::remove_all(stage, ec);
    throw;
  }
}

nlohmann::json PartsWriter::Run() {
  LoadModel();
  ReadPlan();
  PlaceFusedNodes();
  CutParts();
  return WriteAll();
}

}  // namespace

nlohmann::json ExportOnnxParts(const std::string& model, const std::string& plan_path, const std::string& out_dir,
                               const OnnxPartsOptions& options) {
  PartsWriter w(model, plan_path, out_dir, options);
  return w.Run();
}

}  // namespace diviml
