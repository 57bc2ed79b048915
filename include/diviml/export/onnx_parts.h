// Per-device ONNX parts of a latency plan (`diviml export --format
// onnx-parts`, docs/runtime.md): the model cut into one ONNX model per run
// of operators on one device, plus a manifest the runner
// (python/diviml/runtime) executes.
//
// Parts. Each device's operators, in the plan's order on that device, are
// cut into segments; a new segment starts at an operator that reads a
// tensor produced on another device, and after an operator whose output
// another device reads. So a part never waits for a tensor in its middle
// and never holds back a tensor another device waits for: running parts
// whole does not change the plan's schedule, and each part is at least a
// maximal run of consecutive operators (fewer, larger parts when the other
// devices do not interleave). Parts are numbered by the predicted start
// of their first operator.
//
// A plan of the coarsened graph (--coarsen) names only the surviving
// nodes: every trivial operator it lacks goes where FuseTrivial put it,
// after its only predecessor or else before its only successor.
//
// Each part holds its operators (in the model's order), the Constant nodes
// and initializers they read, inputs and outputs named by the tensors that
// cross (with type and shape) and the value_info of its inner tensors.
//
// Weights. Initializers without data (the zoo's files are stripped) are
// filled with seeded random values when fill is kRandom, or kAuto and the
// model lies in the zoo: >= 2-D tensors uniform in +-sqrt(3 / fan_in) with
// fan_in = elements / dims[0] (unit gain, so activations stay finite),
// 0-D/1-D float tensors uniform in [0.5, 1.5) (positive, so BatchNorm
// variances are valid), integer/bool tensors 0. Each initializer's values
// come from SplitMix64 seeded by seed and the FNV-1a hash of its name, so
// they do not depend on the cut. The filled whole model is written beside
// the parts as model.onnx, for the runner's output check.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace diviml {

enum class WeightFill { kAuto, kRandom, kNone };

struct OnnxPartsOptions {
  WeightFill fill = WeightFill::kAuto;
  uint64_t seed = 0;
};

// Writes the parts, model.onnx (when weights were filled) and
// manifest.json into out_dir (created; an existing directory must be an
// earlier export, i.e. hold manifest.json, and is replaced). The model is
// an .onnx file or zoo:NAME; the plan a latency plan JSON (diviml-plan-v1
// with assignment, order, schedule). Returns the manifest (format
// "diviml-onnx-parts-v1", keys in docs/runtime.md). InputError "FILE:
// problem" for a plan of another graph, a node missing from the plan, a
// stripped initializer with fill kNone, an unwritable directory. O(model
// size + V log V).
nlohmann::json ExportOnnxParts(const std::string& model, const std::string& plan_path,
                               const std::string& out_dir, const OnnxPartsOptions& options = {});

// FNV-1a 64 of bytes as 16 hex digits: the plan's stamp in the manifest
// and in every part's metadata_props (diviml_plan), with diviml_graph,
// diviml_part and diviml_device, so the runner refuses mixed exports.
std::string Fnv1aHex(const std::string& bytes);

}  // namespace diviml
