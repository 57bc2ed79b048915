// `diviml solve --solver llm|llm-memory|llm-flops` and `diviml info --graph
// llm:...` (include/diviml/cli/cli.h, docs/llm.md).
#include <fmt/format.h>

#include "diviml/cli/cli.h"
#include "diviml/export/export.h"
#include "diviml/io/llm_spec.h"
#include "diviml/util/error.h"
#include "diviml/util/file.h"

namespace diviml {

int RunLlmSolve(const SolveArgs& a, Request req, std::ostream& out, std::ostream& err) {
  try {
    if (!a.gantt.empty()) throw InputError("--gantt: LLM plans have no Gantt chart (use --export json)");
    if (!a.target.empty()) req.params.push_back(a.solver + ".target=" + a.target);
    if (!a.tensor_parallel.empty()) req.params.push_back(a.solver + ".tensor_parallel=" + a.tensor_parallel);
    if (a.max_servers > 0) req.params.push_back(a.solver + ".max_servers=" + std::to_string(a.max_servers));
    const std::string format = a.export_format.empty() ? "json" : a.export_format;
    const Exporter* exporter = FindExporter(format);
    if (!exporter) throw InputError("--export: unknown format '" + format + "'");
    Problem pr;
    const Result r = SolveLlm(a, req, &pr);
    // Export first: a plan the runtime cannot run fails before anything is printed or written.
    const std::string text = (!a.export_format.empty() || !a.out.empty()) ? exporter->write(pr, r) : "";
    if (!a.out.empty()) WriteFileAtomic(a.out, text);
    if (a.json) {
      nlohmann::json j = ResultToJson(pr, r);
      if (!a.export_format.empty() && a.out.empty()) j["export"] = text;
      out << j.dump() << "\n";
    } else {
      out << ResultText(pr, r);
      if (!a.export_format.empty() && a.out.empty()) out << "\n" << text;
    }
    return ExitCode(r, a.strict);
  } catch (const InputError& e) {
    err << "diviml: " << e.what() << "\n";
    return 1;
  }
}

int RunLlmInfo(const CommonArgs& a, std::ostream& out, std::ostream& err) {
  try {
    const LlmSpec s = ParseLlmSpec(a.graph);
    const LlmModel& m = s.model;
    const LlmConfig& c = m.config;
    const double params = TotalParams(c), wb = params * m.weight_bytes();
    const double kv_tok = KvBytesPerTokenLayer(m) * c.layers;
    const double ctx = double(m.workload.prompt + m.workload.gen);
    const double kv_batch = kv_tok * m.workload.batch * ctx;
    const double prefill = c.layers * LayerFlops(m, LlmPhase::kPrefill) + HeadFlops(m, LlmPhase::kPrefill);
    const double decode = c.layers * LayerFlops(m, LlmPhase::kDecode) + HeadFlops(m, LlmPhase::kDecode);
    const double tokens_prefill = double(m.workload.batch) * m.workload.prompt;
    if (a.json) {
      nlohmann::json j = {{"model", c.name}, {"hf_model", c.hf_name}, {"hidden_size", c.hidden},
                          {"layers", c.layers}, {"heads", c.heads}, {"kv_heads", c.kv_heads},
                          {"intermediate_size", c.ffn}, {"vocab_size", c.vocab}, {"tied", c.tied},
                          {"parameters", params}, {"layer_parameters", LayerParams(c)},
                          {"weight_bytes", wb}, {"kv_bytes_per_token", kv_tok},
                          {"kv_bytes_per_token_layer", KvBytesPerTokenLayer(m)}, {"kv_bytes_batch", kv_batch},
                          {"prefill_flops", prefill}, {"prefill_flops_per_token", prefill / tokens_prefill},
                          {"decode_flops_per_token", decode / m.workload.batch},
                          {"batch", m.workload.batch}, {"prompt", m.workload.prompt}, {"gen", m.workload.gen}};
      out << j.dump() << "\n";
      return 0;
    }
    out << fmt::format("{}{}: h {}, layers {}, heads {} (KV {}), FFN {}, vocabulary {}{}\n", c.name,
                       c.hf_name.empty() ? "" : " (" + c.hf_name + ")", c.hidden, c.layers, c.heads, c.kv_heads, c.ffn,
                       c.vocab, c.tied ? ", tied embeddings" : "");
    out << fmt::format("parameters {:.4g} B ({:.0f}); per layer {:.4g} M; weights {:.2f} GB at {} bytes/parameter\n",
                       params / 1e9, params, LayerParams(c) / 1e6, wb / 1e9, m.weight_bytes());
    out << fmt::format("KV cache {:.0f} bytes/token ({:.0f} per layer); batch {} x {} tokens: {:.2f} GB\n", kv_tok,
                       KvBytesPerTokenLayer(m), m.workload.batch, ctx, kv_batch / 1e9);
    out << fmt::format("flops: prefill {:.4g} per token ({:.4g} for {} x {} tokens), decode {:.4g} per token at "
                       "position {:.0f}\n",
                       prefill / tokens_prefill, prefill, m.workload.batch, m.workload.prompt, decode / m.workload.batch,
                       ctx);
    return 0;
  } catch (const InputError& e) {
    err << "diviml: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace diviml
