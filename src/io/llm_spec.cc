// llm: specs and Hugging Face config.json (include/diviml/io/llm_spec.h).
#include "diviml/io/llm_spec.h"

#include <charconv>
#include <sstream>

#include "diviml/util/error.h"
#include "diviml/util/file.h"
#include "io/json_check.h"

namespace diviml {
namespace {

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, ',')) out.push_back(part);
  return out;
}

long long PositiveInt(const std::string& spec, const std::string& key, const std::string& v) {
  long long x = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size() || x < 1 || x > 100000000)
    throw InputError(spec + ": " + key + " must be a positive integer, got '" + v + "'");
  return x;
}

}  // namespace

bool IsLlmSpec(const std::string& spec) { return spec.rfind("llm:", 0) == 0; }

LlmConfig ParseHfConfig(const std::string& text, const std::string& source) {
  const io::Json j = io::ParseJsonText(text, source);
  if (!j.is_object()) io::Fail(source, "expected a JSON object", "config.json");
  auto get = [&](std::initializer_list<const char*> names, bool required, long long def) -> long long {
    for (const char* n : names)
      if (j.contains(n) && !j[n].is_null()) {
        if (!j[n].is_number_integer() || j[n].get<long long>() < 1)
          io::Fail(source, std::string("field '") + n + "' must be a positive integer", "config.json");
        return j[n].get<long long>();
      }
    if (required) {
      std::string list;
      for (const char* n : names) list += (list.empty() ? "'" : " or '") + std::string(n) + "'";
      io::Fail(source, "missing field " + list, "config.json");
    }
    return def;
  };
  LlmConfig c;
  c.name = source;
  const bool gpt2 = (j.contains("model_type") && j["model_type"].is_string() && j["model_type"].get<std::string>() == "gpt2") || j.contains("n_embd");
  c.hidden = get({"hidden_size", "n_embd"}, true, 0);
  c.layers = get({"num_hidden_layers", "n_layer"}, true, 0);
  c.heads = get({"num_attention_heads", "n_head"}, true, 0);
  c.kv_heads = get({"num_key_value_heads"}, false, c.heads);
  c.ffn = get({"intermediate_size", "n_inner"}, !gpt2, 4 * c.hidden);
  c.vocab = get({"vocab_size"}, true, 0);
  if (c.hidden % c.heads != 0) io::Fail(source, "hidden size is not a multiple of the attention heads", "config.json");
  if (c.heads % c.kv_heads != 0) io::Fail(source, "attention heads are not a multiple of the KV heads", "config.json");
  c.gated = !gpt2;
  c.bias = gpt2;
  c.positions = gpt2 ? get({"n_positions", "n_ctx"}, false, 1024) : 0;
  c.tied = j.contains("tie_word_embeddings") ? j["tie_word_embeddings"].is_boolean() &&
                                                   j["tie_word_embeddings"].get<bool>()
                                             : gpt2;
  c.dtype = "fp16";
  if (j.contains("torch_dtype") && j["torch_dtype"].is_string()) {
    const std::string d = j["torch_dtype"].get<std::string>();
    if (!DtypeBytes(d)) io::Fail(source, "torch_dtype '" + d + "' is not supported", "config.json");
    c.dtype = d == "float32" ? "fp32" : d == "bfloat16" ? "bf16" : d == "float16" ? "fp16" : d;
  }
  return c;
}

LlmSpec ParseLlmSpec(const std::string& spec) {
  if (!IsLlmSpec(spec)) throw InputError(spec + ": expected llm:NAME[,key=value...]");
  std::vector<std::string> parts = SplitComma(spec.substr(4));
  if (parts.empty() || parts[0].empty()) throw InputError(spec + ": expected llm:NAME[,key=value...]");
  LlmSpec s;
  const std::string& name = parts[0];
  if (const LlmConfig* preset = FindLlmPreset(name)) {
    s.model.config = *preset;
  } else if (LowerExtension(name) == ".json") {
    s.model.config = ParseHfConfig(ReadFile(name), name);
  } else {
    std::string list;
    for (const LlmConfig& c : LlmPresets()) list += (list.empty() ? "" : ", ") + c.name;
    throw InputError(spec + ": unknown model '" + name + "' (presets: " + list + "; or a config.json path)");
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    const size_t eq = parts[i].find('=');
    if (eq == std::string::npos) throw InputError(spec + ": expected key=value, got '" + parts[i] + "'");
    const std::string k = parts[i].substr(0, eq), v = parts[i].substr(eq + 1);
    LlmWorkload& w = s.model.workload;
    if (k == "batch") w.batch = PositiveInt(spec, k, v);
    else if (k == "prompt") w.prompt = PositiveInt(spec, k, v);
    else if (k == "gen") w.gen = PositiveInt(spec, k, v);
    else if (k == "phase") {
      if (v == "prefill") w.phase = LlmPhase::kPrefill;
      else if (v == "decode") w.phase = LlmPhase::kDecode;
      else if (v == "both") w.phase = LlmPhase::kBoth;
      else throw InputError(spec + ": phase must be prefill, decode or both, got '" + v + "'");
    } else if (k == "dtype") {
      if (v != "fp16" && v != "bf16" && v != "fp32" && v != "int8" && v != "int4")
        throw InputError(spec + ": dtype must be fp16, bf16, fp32, int8 or int4, got '" + v + "'");
      w.dtype = v;
    } else if (k == "granularity") {
      if (v != "layer" && v != "operator")
        throw InputError(spec + ": granularity must be layer or operator, got '" + v + "'");
      s.granularity = v;
    } else {
      throw InputError(spec + ": unknown key '" + k + "' (batch, prompt, gen, phase, dtype, granularity)");
    }
  }
  return s;
}

Graph LlmSpecGraph(const LlmSpec& s) {
  const LlmPhase p = s.model.workload.phase == LlmPhase::kDecode ? LlmPhase::kDecode : LlmPhase::kPrefill;
  return s.granularity == "operator" ? BuildLlmOperatorGraph(s.model, p) : BuildLlmGraph(s.model, p);
}

}  // namespace diviml
