// The `llm:` model spec and the Hugging Face config.json reader
// (docs/llm.md):
//   llm:NAME[,key=value...]  NAME a preset (LlmPresets()) or a config.json
//   keys: batch, prompt, gen (tokens, >= 1), phase=prefill|decode|both,
//         dtype=fp16|bf16|fp32|int8|int4 (weights), granularity=layer|operator
// Bad input is an InputError naming the spec or the file. O(size of the file).
#pragma once

#include <string>

#include "diviml/gen/llm.h"

namespace diviml {

struct LlmSpec {
  LlmModel model;
  std::string granularity = "layer";  // graph of LoadGraph: layer | operator
};

// True for "llm:...".
bool IsLlmSpec(const std::string& spec);
// Parses "llm:..." (the prefix is required).
LlmSpec ParseLlmSpec(const std::string& spec);
// A config.json's text; source names the file in messages. Reads
// hidden_size, num_hidden_layers, num_attention_heads, num_key_value_heads
// (default: the attention heads), intermediate_size, vocab_size,
// tie_word_embeddings, torch_dtype, and GPT-2's n_embd, n_layer, n_head,
// n_inner (default 4 n_embd), n_positions.
LlmConfig ParseHfConfig(const std::string& text, const std::string& source);
// The graph of a spec: layer-level or operator-level chain of its phase
// (phase both -> prefill).
Graph LlmSpecGraph(const LlmSpec& spec);

}  // namespace diviml
