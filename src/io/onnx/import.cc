// ONNX model -> Graph. See include/diviml/onnx_import.h for the conventions.
// O(V + E + total attribute size) plus ONNX shape inference.
#include "diviml/io/onnx_import.h"

#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "const_eval.h"
#include "tensor_info.h"

namespace diviml {

using onnx_import::TensorInfo;

namespace {

std::string Stem(const std::string& source) {
  std::string s = std::filesystem::path(source).filename().string();
  if (s.size() > 5 && s.substr(s.size() - 5) == ".onnx") s.resize(s.size() - 5);
  return s.empty() ? source : s;
}

class Importer {
 public:
  Importer(const std::string& source, const OnnxImportOptions& options, std::vector<std::string>* warnings)
      : source_(source), options_(options), warnings_(warnings) {}

  Graph Run(std::string_view bytes);

 private:
  [[noreturn]] void Fail(const std::string& what) const { throw InputError(source_ + ": " + what); }
  void Warn(const std::string& what) {
    std::string msg = source_ + ": " + what;
    if (warnings_)
      warnings_->push_back(msg);
    else
      std::cerr << "warning: " << msg << "\n";
  }

  void CheckControlFlow(const onnx::GraphProto& g);
  // Attributes ONNX's shape inference divides by must be positive (it
  // raised SIGFPE on a Conv with strides [2, 0], found by fuzzing).
  void CheckDivisorAttributes(const onnx::GraphProto& g);
  void FixInputShapes(onnx::GraphProto* g, const std::set<std::string>& initializers);
  void Record(const onnx::ValueInfoProto& vi);
  // Tensor table: parameters of `original`, shapes from `inferred`.
  void BuildTensorTable(const onnx::GraphProto& original, const onnx::GraphProto& inferred);
  // The Graph from the model's nodes and the tensor table.
  Graph Build(const onnx::GraphProto* g, const std::set<std::string>& initializers);
  const TensorInfo* Lookup(const std::string& name) const {
    auto it = tensors_.find(name);
    return it == tensors_.end() ? nullptr : &it->second;
  }
  // Bytes of a tensor that must be known (edge or output); applies the
  // unknown-shape policy.
  double TensorBytes(const std::string& name, const std::string& context);

  std::string source_;
  const OnnxImportOptions& options_;
  std::vector<std::string>* warnings_;
  std::unordered_map<std::string, TensorInfo> tensors_;
  std::set<std::string> unknown_reported_;
};

std::string NodeLabel(const onnx::NodeProto& node, int index) {
  return node.name().empty() ? node.op_type() + "_" + std::to_string(index) : node.name();
}

void Importer::CheckControlFlow(const onnx::GraphProto& g) {
  static const std::set<std::string> kControl = {"If", "Loop", "Scan"};
  for (int k = 0; k < g.node_size(); ++k) {
    const auto& node = g.node(k);
    bool control = kControl.count(node.op_type()) > 0;
    for (const auto& a : node.attribute())
      if (a.type() == onnx::AttributeProto::GRAPH || a.type() == onnx::AttributeProto::GRAPHS ||
          a.has_g() || a.graphs_size() > 0)
        control = true;
    if (control)
      Fail("control flow operator '" + node.op_type() + "' (node '" + NodeLabel(node, k) +
           "') is not supported");
  }
}

void Importer::CheckDivisorAttributes(const onnx::GraphProto& g) {
  static const std::set<std::string> kConvPool = {"Conv", "ConvInteger", "QLinearConv", "ConvTranspose",
                                                  "AveragePool", "MaxPool", "LpPool", "MaxUnpool",
                                                  "DeformConv", "MaxRoiPool"};
  static const std::set<std::string> kBlock = {"SpaceToDepth", "DepthToSpace"};
  for (int k = 0; k < g.node_size(); ++k) {
    const auto& node = g.node(k);
    const bool conv_pool = kConvPool.count(node.op_type()) > 0, block = kBlock.count(node.op_type()) > 0;
    if (!conv_pool && !block) continue;
    for (const auto& a : node.attribute()) {
      const bool positive_list = conv_pool && (a.name() == "strides" || a.name() == "dilations" ||
                                               a.name() == "kernel_shape");
      const bool positive_int = (conv_pool && a.name() == "group") || (block && a.name() == "blocksize");
      bool bad = false;
      if (positive_list)
        for (const auto v : a.ints()) bad = bad || v < 1;
      if (positive_int) bad = a.i() < 1;
      if (conv_pool && a.name() == "pads")
        for (const auto v : a.ints()) bad = bad || v < 0;
      if (bad)
        Fail("node '" + NodeLabel(node, k) + "' (" + node.op_type() + "): attribute '" + a.name() + "' must be " +
             (a.name() == "pads" ? "non-negative" : "positive"));
    }
  }
}

void Importer::FixInputShapes(onnx::GraphProto* g, const std::set<std::string>& initializers) {
  for (auto& input : *g->mutable_input()) {
    if (initializers.count(input.name())) continue;
    if (!input.type().has_tensor_type())
      Fail("graph input '" + input.name() + "' is not a tensor");
    auto* tt = input.mutable_type()->mutable_tensor_type();
    if (!tt->has_shape()) Fail("graph input '" + input.name() + "' has no shape");
    for (int d = 0; d < tt->shape().dim_size(); ++d) {
      auto* dim = tt->mutable_shape()->mutable_dim(d);
      if (dim->has_dim_value()) {
        if (dim->dim_value() < 0)
          Fail("graph input '" + input.name() + "' has a negative dimension");
        continue;
      }
      std::string param = dim->has_dim_param() ? dim->dim_param() : "";
      auto it = options_.dim_values.find(param);
      int64_t value;
      if (!param.empty() && it != options_.dim_values.end()) {
        value = it->second;
      } else if (options_.default_dim_value > 0) {
        value = options_.default_dim_value;
        Warn("graph input '" + input.name() + "' dimension " + std::to_string(d) +
             (param.empty() ? "" : " ('" + param + "')") + " is symbolic; set to " +
             std::to_string(value));
      } else {
        Fail("graph input '" + input.name() + "' dimension " + std::to_string(d) +
             (param.empty() ? "" : " ('" + param + "')") + " is symbolic and no value was given");
      }
      dim->clear_dim_param();
      dim->set_dim_value(value);
    }
  }
}

void Importer::Record(const onnx::ValueInfoProto& vi) {
  if (!vi.type().has_tensor_type()) return;
  const auto& tt = vi.type().tensor_type();
  TensorInfo info;
  info.elem_type = tt.elem_type();
  if (tt.has_shape()) {
    info.shape_known = true;
    for (const auto& dim : tt.shape().dim()) {
      if (!dim.has_dim_value() || dim.dim_value() < 0) {
        info.shape_known = false;
        break;
      }
      info.dims.push_back(dim.dim_value());
    }
    if (!info.shape_known) info.dims.clear();
  }
  auto [it, fresh] = tensors_.emplace(vi.name(), info);
  if (!fresh && !it->second.shape_known && info.shape_known) it->second = info;
  if (!fresh && it->second.elem_type == 0) it->second.elem_type = info.elem_type;
}

double Importer::TensorBytes(const std::string& name, const std::string& context) {
  const TensorInfo* t = Lookup(name);
  if (t && t->bytes_known()) return t->bytes();
  if (!options_.allow_unknown_shapes)
    Fail("cannot infer the shape of tensor '" + name + "' (" + context +
         "); give the model fixed input shapes or allow unknown shapes");
  if (unknown_reported_.insert(name).second)
    Warn("unknown shape of tensor '" + name + "' (" + context + "): counted as 0 bytes");
  return 0;
}

Graph Importer::Run(std::string_view bytes) {
  onnx::ModelProto model;
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()))
    Fail("model larger than 2 GiB is not supported");
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    Fail("not an ONNX model (protobuf parse failed)");
  if (model.ir_version() <= 0 || !model.has_graph() || model.opset_import_size() == 0)
    Fail("not an ONNX model (no ir_version, graph or opset_import)");
  onnx::GraphProto* g = model.mutable_graph();
  if (g->node_size() == 0) Fail("the ONNX graph has no nodes");
  CheckControlFlow(*g);
  CheckDivisorAttributes(*g);

  std::set<std::string> initializers;
  for (const auto& init : g->initializer()) initializers.insert(init.name());
  for (const auto& init : g->sparse_initializer()) initializers.insert(init.values().name());
  {
    std::set<std::string> available(initializers);
    for (const auto& vi : g->input()) available.insert(vi.name());
    for (const auto& node : g->node())
      for (const auto& out : node.output()) available.insert(out);
    for (int k = 0; k < g->node_size(); ++k)
      for (const auto& in : g->node(k).input())
        if (!in.empty() && !available.count(in))
          Fail("tensor '" + in + "' consumed by node '" + NodeLabel(g->node(k), k) + "' is never produced");
  }
  FixInputShapes(g, initializers);

  // Stale value_info (symbolic batch dims from the exporter) would conflict
  // with the fixed input shapes: let inference recompute it. Inference runs
  // on a copy into which the values of small shape-arithmetic tensors
  // (Shape -> Gather -> Div -> Slice...) are folded as initializers, since
  // ONNX's own data propagation misses some of them; the imported graph
  // keeps the original structure.
  g->clear_value_info();
  onnx::ModelProto infer = model;
  for (int round = 0;; ++round) {
    try {
      onnx::ShapeInferenceOptions opts(/*check_type=*/false, /*error_mode=*/0, /*data_prop=*/true);
      onnx::shape_inference::InferShapes(infer, onnx::OpSchemaRegistry::Instance(), opts);
    } catch (const std::exception& e) {
      std::string msg = e.what();
      for (char& c : msg)
        if (c == '\n') c = ' ';
      Fail("shape inference failed: " + msg);
    }
    BuildTensorTable(*g, infer.graph());
    if (round == 8) break;
    auto values = onnx_import::EvaluateConstants(infer.graph(), [this](const std::string& n) { return Lookup(n); });
    std::set<std::string> produced, added;
    for (const auto& node : infer.graph().node())
      for (const auto& out : node.output()) produced.insert(out);
    bool changed = false;
    for (auto& node : *infer.mutable_graph()->mutable_node()) {
      if (node.op_type() == "Constant") continue;
      for (auto& in : *node.mutable_input()) {
        if (in.empty() || !produced.count(in)) continue;
        auto it = values.find(in);
        if (it == values.end()) continue;
        const std::string folded = "__diviml_folded__" + in;
        if (added.insert(folded).second) *infer.mutable_graph()->add_initializer() = onnx_import::ToTensor(folded, it->second);
        in = folded;
        changed = true;
      }
    }
    if (!changed) break;
    infer.mutable_graph()->clear_value_info();
  }
  return Build(g, initializers);
}

void Importer::BuildTensorTable(const onnx::GraphProto& original, const onnx::GraphProto& inferred) {
  tensors_.clear();
  const onnx::GraphProto* g = &original;
  // Tensor table: parameters first (they win over inputs of the same name,
  // as in models exported with initializers listed as inputs).
  for (const auto& init : g->initializer()) {
    TensorInfo info;
    info.elem_type = init.data_type();
    info.shape_known = true;
    info.dims.assign(init.dims().begin(), init.dims().end());
    info.is_param = true;
    tensors_[init.name()] = info;
  }
  for (const auto& init : g->sparse_initializer()) {
    TensorInfo info;
    info.elem_type = init.values().data_type();
    info.shape_known = true;
    info.dims.assign(init.dims().begin(), init.dims().end());
    info.is_param = true;
    tensors_[init.values().name()] = info;
  }
  for (const auto& node : g->node()) {
    bool is_constant = node.op_type() == "Constant" && (node.domain().empty() || node.domain() == "ai.onnx");
    if (!is_constant || node.output_size() != 1) continue;
    TensorInfo info;
    info.is_param = true;
    info.shape_known = true;
    for (const auto& a : node.attribute()) {
      if (a.name() == "value") {
        info.elem_type = a.t().data_type();
        info.dims.assign(a.t().dims().begin(), a.t().dims().end());
      } else if (a.name() == "value_float" || a.name() == "value_int") {
        info.elem_type = a.name() == "value_float" ? onnx::TensorProto::FLOAT : onnx::TensorProto::INT64;
      } else if (a.name() == "value_floats" || a.name() == "value_ints") {
        info.elem_type = a.name() == "value_floats" ? onnx::TensorProto::FLOAT : onnx::TensorProto::INT64;
        info.dims = {a.name() == "value_floats" ? a.floats_size() : a.ints_size()};
      } else if (a.name() == "sparse_value") {
        info.elem_type = a.sparse_tensor().values().data_type();
        info.dims.assign(a.sparse_tensor().dims().begin(), a.sparse_tensor().dims().end());
      } else {
        info.elem_type = onnx::TensorProto::UINT8;  // strings: size unknown, tiny
      }
    }
    tensors_[node.output(0)] = info;
  }

  for (const auto& vi : inferred.input()) Record(vi);
  for (const auto& vi : inferred.value_info()) Record(vi);
  for (const auto& vi : inferred.output()) Record(vi);
}

Graph Importer::Build(const onnx::GraphProto* g, const std::set<std::string>& initializers) {
  Graph graph;
  graph.name = Stem(source_);
  std::unordered_map<std::string, int> producer;  // tensor -> node index
  std::set<std::string> ids;
  auto unique_id = [&](std::string id, int index) {
    if (ids.count(id)) {
      std::string alt = id + "_" + std::to_string(index);
      Warn("duplicate node name '" + id + "': renamed '" + alt + "'");
      id = alt;
    }
    while (ids.count(id)) id += "_";
    ids.insert(id);
    return id;
  };

  // Host input nodes.
  for (const auto& vi : g->input()) {
    if (initializers.count(vi.name())) continue;
    Node node;
    node.id = unique_id("input:" + vi.name(), 0);
    node.op = "input";
    node.pin = "host";
    node.time_s["*"] = 0;
    node.output_bytes = TensorBytes(vi.name(), "graph input");
    int v = options_.io_nodes ? graph.AddNode(std::move(node)) : -1;
    producer[vi.name()] = v;  // -1: no node, no edge
  }

  // Operator nodes.
  std::vector<int> node_index(g->node_size(), -1);
  std::set<std::string> no_formula;
  for (int k = 0; k < g->node_size(); ++k) {
    const auto& op = g->node(k);
    const bool is_constant = op.op_type() == "Constant" && (op.domain().empty() || op.domain() == "ai.onnx");
    if (is_constant) continue;
    Node node;
    node.id = unique_id(NodeLabel(op, k), k);
    node.op = (op.domain().empty() || op.domain() == "ai.onnx") ? op.op_type() : op.domain() + "." + op.op_type();
    const std::string context = "output of node '" + node.id + "', op '" + op.op_type() + "'";
    for (const auto& out : op.output()) {
      if (out.empty()) continue;
      node.output_bytes += TensorBytes(out, context);
    }
    auto flops = onnx_import::OperatorFlops(op, [this](const std::string& n) { return Lookup(n); });
    node.flops = flops.flops;
    if (!flops.has_formula && no_formula.insert(node.op).second)
      Warn("no flops formula for op '" + node.op + "': counted 1 flop per output element");
    if (flops.shape_missing) {
      if (!options_.allow_unknown_shapes)
        Fail("cannot compute the flops of node '" + node.id + "' (op '" + op.op_type() +
             "'): an operand's shape is unknown");
      Warn("flops of node '" + node.id + "' counted as " + std::to_string(flops.flops) +
           ": an operand's shape is unknown");
    }
    int v = graph.AddNode(std::move(node));
    node_index[k] = v;
    for (const auto& out : op.output())
      if (!out.empty()) {
        if (producer.count(out)) Fail("tensor '" + out + "' is produced twice");
        producer[out] = v;
      }
  }

  // Edges (one per producer/consumer pair) and parameter bytes.
  for (int k = 0; k < g->node_size(); ++k) {
    const int v = node_index[k];
    if (v < 0) continue;
    const auto& op = g->node(k);
    std::map<int, double> in_bytes;  // producer -> bytes
    std::set<std::string> seen;
    for (const auto& in : op.input()) {
      if (in.empty() || !seen.insert(in).second) continue;
      auto it = producer.find(in);
      if (it != producer.end()) {
        const double b = TensorBytes(in, "input of node '" + graph.nodes[v].id + "'");
        if (it->second >= 0) in_bytes[it->second] += b;
        continue;
      }
      const TensorInfo* t = Lookup(in);
      if (t && t->is_param) {
        graph.nodes[v].param_bytes += t->bytes();
        continue;
      }
      Fail("tensor '" + in + "' consumed by node '" + graph.nodes[v].id + "' is never produced");
    }
    for (const auto& [u, b] : in_bytes) graph.AddEdge(u, v, b);
  }

  // Host output nodes.
  if (options_.io_nodes) {
    for (const auto& vi : g->output()) {
      Node node;
      node.id = unique_id("output:" + vi.name(), 0);
      node.op = "output";
      node.pin = "host";
      node.time_s["*"] = 0;
      const double b = TensorBytes(vi.name(), "graph output");
      int v = graph.AddNode(std::move(node));
      auto it = producer.find(vi.name());
      if (it != producer.end() && it->second >= 0) graph.AddEdge(it->second, v, b);
    }
  }

  if (auto err = graph.Finalize()) Fail(*err);
  return graph;
}

}  // namespace

Graph ImportOnnxBytes(std::string_view bytes, const std::string& source, const OnnxImportOptions& options,
                      std::vector<std::string>* warnings) {
  Importer importer(source, options, warnings);
  return importer.Run(bytes);
}

Graph ImportOnnx(const std::string& path, const OnnxImportOptions& options, std::vector<std::string>* warnings) {
  if (path.empty()) throw InputError("(empty path): no ONNX file name given");
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw InputError(path + ": no such file");
  if (std::filesystem::is_directory(path, ec)) throw InputError(path + ": is a directory, not an ONNX file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open file");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw InputError(path + ": read error");
  return ImportOnnxBytes(buf.str(), path, options, warnings);
}

}  // namespace diviml
