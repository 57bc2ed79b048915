// ONNX import: an ONNX model file becomes a DiviML Graph with one node per
// ONNX operator, edges from each tensor's producer to its consumers carrying
// the tensor's byte size, per-node flops, param_bytes and output_bytes.
//
// Conventions (see also docs and the report of issue 4):
//  - Node ids are NodeProto.name, or "<op_type>_<index>" (index of the node
//    in graph.node) when the name is empty; a repeated name gets "_<index>"
//    appended and a warning. Node.op is the ONNX op_type (prefixed with
//    "<domain>." for non-default domains).
//  - Constant nodes are not operators: their values count as parameters of
//    their consumers, like initializers (param_bytes), and they get no node.
//  - Graph inputs (those that are not initializers) become source nodes
//    "input:<name>" (op "input") and graph outputs sink nodes
//    "output:<name>" (op "output"). Both carry time_s {"*": 0}: they belong
//    to the host device (see the pinning note in the report); moving their
//    tensors to/from another device costs a transfer like any edge.
//  - Symbolic input dimensions (dim_param, or a dimension with neither value
//    nor name) take options.dim_values[name], else options.default_dim_value
//    with a warning; with default_dim_value <= 0 they are an error.
//  - Shape inference (onnx::shape_inference, with data propagation) fills
//    every tensor's shape; small shape-arithmetic tensors it cannot
//    propagate (Shape -> Gather -> Div -> Slice, as torch exports chunk())
//    are evaluated by the importer and folded into the copy of the model
//    used for inference (src/onnx/const_eval.cc), not into the graph. A tensor whose shape is still unknown is an error
//    naming it, unless options.allow_unknown_shapes: then its size counts as
//    0 bytes and a warning is emitted. Never silent.
//  - Multiple tensors from one producer to one consumer make one edge whose
//    bytes are their sum; a tensor used twice by one consumer counts once.
//  - Flops: 1 multiply-add = 2 flops; the per-operator formulas and
//    constants are documented in src/onnx/flops.cc (kTranscendentalFlops
//    etc.). An operator without a formula counts 1 flop per output element
//    and emits a warning naming the op type (once per type).
// Errors throw InputError with a one-line message starting "FILE: ".
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "diviml/graph/graph.h"
#include "diviml/io/io.h"

namespace diviml {

struct OnnxImportOptions {
  // Values for symbolic input dimensions by dim_param name, e.g.
  // {"batch_size", 1}.
  std::map<std::string, int64_t> dim_values;
  // Value for a symbolic input dimension not in dim_values (with a warning);
  // <= 0 makes such a dimension an error.
  int64_t default_dim_value = 1;
  // false: a tensor whose shape inference cannot determine is an error.
  // true: it counts as 0 bytes (and its consumers' flops as far as they
  // depend on it) with a warning.
  bool allow_unknown_shapes = false;
  // Add the "input:<name>" / "output:<name>" host nodes.
  bool io_nodes = true;
};

// Imports the model at `path`. Warnings go to *warnings when given, else to
// stderr as "warning: ..." lines. Returns a finalized graph named after the
// file's stem. Throws InputError: missing/unreadable file, not an ONNX
// model, control flow (If/Loop/Scan or any graph-valued attribute),
// unresolvable shapes, a tensor consumed but never produced.
Graph ImportOnnx(const std::string& path, const OnnxImportOptions& options = {},
                 std::vector<std::string>* warnings = nullptr);

// The same from the serialized ModelProto bytes; `source` names it in
// messages and gives the graph its name.
Graph ImportOnnxBytes(std::string_view bytes, const std::string& source,
                      const OnnxImportOptions& options = {},
                      std::vector<std::string>* warnings = nullptr);

// True for operators FuseTrivial folds into a neighbour: Reshape, Flatten,
// Transpose, Squeeze, Unsqueeze, Identity, Dropout, Cast and the cheap
// activations (Relu, LeakyRelu, PRelu, Clip, Sigmoid, HardSigmoid,
// HardSwish, Tanh, Erf, Gelu, Elu, Selu, Softplus).
bool IsTrivialOp(std::string_view op);

struct FuseStats {
  int nodes_before = 0, nodes_after = 0;
  int edges_before = 0, edges_after = 0;
};

// Coarsening: repeatedly fuses each trivial operator into its producer when
// it has exactly one predecessor, else into its consumer when it has
// exactly one successor (either way no second path joins the pair, so the
// graph stays acyclic). Input/output host nodes are never fused. The fused
// node keeps the surviving node's id; op becomes "A+B"; flops and
// param_bytes add up; time_s keeps the keys both nodes have, summed;
// parallel edges merge with their bytes added. Returns the sizes before and
// after; the graph comes back finalized. O((V + E) log V) per pass.
FuseStats FuseTrivial(Graph& graph);

}  // namespace diviml
